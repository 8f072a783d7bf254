using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthOs.ServiceDefaults.Privacy;

/// <summary>
/// Personal data never reaches the archive in plain text: on the way from a download (the Connector's) or an upload (a
/// replay's) to the object store, every e-mail address is replaced by <c>{field}Sha256</c> (<c>{field}_sha256</c> for a
/// snake_case field), the SHA-256 of the trimmed, lower-cased address (the form ad platforms match audiences on), and
/// names, phone numbers and addresses are removed (the Connector's queries never ask for them; an uploaded export may
/// hold them). Field names are matched in any case and spelling (<c>email</c>, <c>Email</c>, <c>email_address</c>,
/// <c>first_name</c>, <c>FirstName</c>, <c>shipping_address</c>, <c>phone</c>) and at any depth (a customer's
/// <c>defaultEmailAddress.emailAddress</c>); a string that is an e-mail address is hashed whatever its field is called.
/// Every other byte passes as it came, a line without any of them untouched, and memory holds one line at a time.
/// </summary>
public static class PersonalDataHashing
{
    /// <summary>Fields (by <see cref="Canonical"/> name) that hold a name, removed.</summary>
    private static readonly HashSet<string> NameFields =
        ["firstname", "lastname", "middlename", "fullname", "displayname", "givenname", "familyname", "surname", "contactname", "billingname", "shippingname"];

    /// <summary>What a line holding any of those fields contains (compared ignoring case); a line without them is not parsed.</summary>
    private static readonly byte[][] Markers =
        ["mail"u8.ToArray(), "name"u8.ToArray(), "phone"u8.ToArray(), "ddress"u8.ToArray(), "street"u8.ToArray(), "@"u8.ToArray()];

    private static bool MayHoldPersonalData(ReadOnlySpan<byte> line)
    {
        foreach (var marker in Markers)
            if (ContainsIgnoringCase(line, marker)) return true;
        return false;
    }

    private static bool ContainsIgnoringCase(ReadOnlySpan<byte> line, ReadOnlySpan<byte> lowerCase)
    {
        for (var i = 0; i + lowerCase.Length <= line.Length; i++)
        {
            var j = 0;
            while (j < lowerCase.Length && (line[i + j] | 0x20) == lowerCase[j]) j++;
            if (j == lowerCase.Length) return true;
        }
        return false;
    }

    /// <summary>A field's name without case or separators: <c>first_name</c>, <c>FirstName</c> and <c>first-name</c> are <c>firstname</c>.</summary>
    private static string Canonical(string name)
    {
        Span<char> canonical = stackalloc char[Math.Min(name.Length, 256)];
        var length = 0;
        foreach (var c in name.AsSpan(0, canonical.Length))
            if (char.IsLetterOrDigit(c)) canonical[length++] = char.ToLowerInvariant(c);
        return new string(canonical[..length]);
    }

    private static bool IsEmailField(string canonical) =>
        canonical.EndsWith("email", StringComparison.Ordinal) || canonical.EndsWith("emailaddress", StringComparison.Ordinal);

    private static bool IsRemovedField(string canonical) =>
        NameFields.Contains(canonical)
        || canonical.Contains("phone", StringComparison.Ordinal)
        || canonical.Contains("street", StringComparison.Ordinal)
        || canonical is "address" or "address1" or "address2" or "addresses"
        || (canonical.EndsWith("address", StringComparison.Ordinal) || canonical.EndsWith("addresses", StringComparison.Ordinal)) && !IsEmailField(canonical);

    /// <summary>Whether a string is an e-mail address (something@domain.tld, nothing around it).</summary>
    private static bool IsEmailAddress(string value)
    {
        var text = value.Trim();
        var at = text.IndexOf('@');
        return at > 0 && at == text.LastIndexOf('@') && text.IndexOf('.', at) > at + 1 && !text.EndsWith('.') && !text.Any(char.IsWhiteSpace);
    }

    private static string HashedName(string name) => name.Contains('_') ? $"{name}_sha256" : $"{name}Sha256";

    /// <summary>A stream of <paramref name="source"/> with e-mail addresses hashed, produced as it is read.</summary>
    public static Stream Hashed(Stream source, CancellationToken cancellationToken)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        _ = Task.Run(async () =>
        {
            Exception? failure = null;
            try
            {
                await Copy(source, pipe.Writer, cancellationToken);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            await pipe.Writer.CompleteAsync(failure);
        }, CancellationToken.None);
        return pipe.Reader.AsStream();
    }

    private static async Task Copy(Stream source, PipeWriter output, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(source, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        long lines = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    WriteLine(buffer.Slice(0, end), output, newLine: true);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    lines++;
                }
                if (buffer.Length > Storage.JsonLines.MaxLineBytes) throw new Storage.LineTooLongException(lines + 1);
                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty) WriteLine(buffer, output, newLine: false);
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                var flushed = await output.FlushAsync(cancellationToken);
                if (flushed.IsCompleted) return;
            }
            await output.FlushAsync(cancellationToken);
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static void WriteLine(ReadOnlySequence<byte> line, PipeWriter output, bool newLine)
    {
        var bytes = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
        if (MayHoldPersonalData(bytes)) output.Write(HashLine(bytes));
        else output.Write(bytes);
        if (newLine) output.Write("\n"u8);
    }

    /// <summary>The line with its personal data hashed or removed. A line that is not JSON is left for the parser to report, with its line number.</summary>
    public static byte[] HashLine(ReadOnlySpan<byte> line)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return line.ToArray();
        }
        if (node is not JsonObject record || !Scrub(record)) return line.ToArray();
        return Encoding.UTF8.GetBytes(record.ToJsonString());
    }

    /// <summary>Hashes and removes the personal fields of <paramref name="node"/> and everything in it; whether it changed.</summary>
    private static bool Scrub(JsonNode? node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject fields:
                foreach (var (name, child) in fields.ToList())
                {
                    var canonical = Canonical(name);
                    if (child is JsonValue value && value.TryGetValue<string>(out var plain) && (IsEmailField(canonical) || IsEmailAddress(plain)))
                    {
                        fields.Remove(name);
                        if (plain.Trim().Length > 0) fields[HashedName(name)] = EmailHash.Sha256(plain);
                        changed = true;
                    }
                    else if (IsRemovedField(canonical)) changed |= fields.Remove(name);
                    else changed |= Scrub(child);
                }
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    // An array of e-mail addresses: each hashed in its place.
                    if (items[i] is JsonValue value && value.TryGetValue<string>(out var plain) && IsEmailAddress(plain))
                    {
                        items[i] = EmailHash.Sha256(plain);
                        changed = true;
                    }
                    else changed |= Scrub(items[i]);
                }
                break;
        }
        return changed;
    }
}
