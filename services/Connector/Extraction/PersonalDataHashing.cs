using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.ServiceDefaults.Privacy;

namespace GrowthOs.Connector.Extraction;

/// <summary>
/// Customer e-mail addresses never reach the archive in plain text: on the way from Shopify's download to the object
/// store, each <c>defaultEmailAddress.emailAddress</c> is replaced by <c>emailAddressSha256</c>, the SHA-256 of the
/// trimmed, lower-cased address (the form ad platforms match audiences on). Every other byte passes as it came, and
/// memory holds one line at a time.
/// </summary>
public static class PersonalDataHashing
{
    private static ReadOnlySpan<byte> Marker => "\"emailAddress\""u8;

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
        if (bytes.IndexOf(Marker) >= 0) output.Write(HashLine(bytes));
        else output.Write(bytes);
        if (newLine) output.Write("\n"u8);
    }

    /// <summary>The line with its e-mail address hashed. A line that is not JSON is left for the parser to report, with its line number.</summary>
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
        if (node is not JsonObject) return line.ToArray();
        if (node["defaultEmailAddress"] is JsonObject email && email["emailAddress"] is JsonValue address && address.TryGetValue<string>(out var plain))
        {
            email.Remove("emailAddress");
            email["emailAddressSha256"] = EmailHash.Sha256(plain);
        }
        return Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");
    }
}
