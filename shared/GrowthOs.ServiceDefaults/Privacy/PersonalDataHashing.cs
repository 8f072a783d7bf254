using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthOs.ServiceDefaults.Privacy;

/// <summary>
/// Personal data never reaches the archive in plain text: on the way from a download (the Connector's) or an upload (a
/// replay's) to the object store, every e-mail address (<c>email</c>, <c>emailAddress</c>, at any depth: a customer's
/// <c>defaultEmailAddress.emailAddress</c>) is replaced by <c>{field}Sha256</c>, the SHA-256 of the trimmed, lower-cased
/// address (the form ad platforms match audiences on), and names, phone numbers and addresses are removed (the
/// Connector's queries never ask for them; an uploaded export may hold them). Every other byte passes as it came, a line
/// without any of them untouched, and memory holds one line at a time.
/// </summary>
public static class PersonalDataHashing
{
    /// <summary>Fields whose value is an e-mail address, replaced by its hash.</summary>
    private static readonly string[] EmailFields = ["email", "emailAddress"];

    /// <summary>Fields that hold a name, a phone number or an address, removed.</summary>
    private static readonly HashSet<string> RemovedFields =
    [
        "firstName", "lastName", "displayName", "phone", "phoneNumber", "defaultPhoneNumber",
        "address1", "address2", "shippingAddress", "billingAddress", "defaultAddress", "addresses",
    ];

    /// <summary>What a line holding any of those fields contains; a line without them is not parsed.</summary>
    private static ReadOnlySpan<byte> EmailMarker => "mail"u8;
    private static ReadOnlySpan<byte> NameMarker => "Name\""u8;
    private static ReadOnlySpan<byte> PhoneMarker => "hone"u8;
    private static ReadOnlySpan<byte> AddressMarker => "ddress"u8;

    private static bool MayHoldPersonalData(ReadOnlySpan<byte> line) =>
        line.IndexOf(EmailMarker) >= 0 || line.IndexOf(AddressMarker) >= 0 || line.IndexOf(NameMarker) >= 0 || line.IndexOf(PhoneMarker) >= 0;

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
                }
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
                foreach (var name in EmailFields)
                    if (fields[name] is JsonValue value && value.TryGetValue<string>(out var plain))
                    {
                        fields.Remove(name);
                        fields[$"{name}Sha256"] = EmailHash.Sha256(plain);
                        changed = true;
                    }
                foreach (var name in fields.Select(f => f.Key).Where(RemovedFields.Contains).ToList())
                    changed |= fields.Remove(name);
                foreach (var (_, child) in fields) changed |= Scrub(child);
                break;
            case JsonArray items:
                foreach (var item in items) changed |= Scrub(item);
                break;
        }
        return changed;
    }
}
