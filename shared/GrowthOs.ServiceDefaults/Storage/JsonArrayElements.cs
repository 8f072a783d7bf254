using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>
/// Reads a JSON body as it arrives: its first value's kind, then (for an array) each element's raw bytes one at a time,
/// so memory holds one element and never the whole body. An element larger than the limit is refused before it is held
/// whole.
/// </summary>
public static class JsonArrayElements
{
    /// <summary>
    /// The kind of the body's top-level value (<see cref="JsonTokenType.StartArray"/>, <see cref="JsonTokenType.StartObject"/>,
    /// or another), read without consuming anything; <see cref="JsonTokenType.None"/> for an empty body.
    /// </summary>
    public static async Task<JsonTokenType> Peek(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var start = SkipWhitespace(read.Buffer);
            if (start.Length > 0)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.Start);
                return start.FirstSpan[0] switch
                {
                    (byte)'[' => JsonTokenType.StartArray,
                    (byte)'{' => JsonTokenType.StartObject,
                    _ => JsonTokenType.String,
                };
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (read.IsCompleted) return JsonTokenType.None;
        }
    }

    /// <summary>The whole body as one value, at most <paramref name="maxBytes"/> long.</summary>
    public static async Task<JsonDocument> ReadWhole(PipeReader reader, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes) throw new JsonBodyException($"The body is longer than {maxBytes} bytes.");
            if (read.IsCompleted)
            {
                try
                {
                    return JsonDocument.Parse(read.Buffer.ToArray());
                }
                catch (JsonException exception)
                {
                    throw new JsonBodyException($"The body is not valid JSON: {exception.Message}");
                }
                finally
                {
                    reader.AdvanceTo(read.Buffer.End);
                }
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Each element of the body's top-level array, as its raw UTF-8 bytes, in order.</summary>
    public static async IAsyncEnumerable<byte[]> Read(PipeReader reader, int maxElementBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var opened = false;
        var index = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (true)
            {
                buffer = SkipWhitespace(buffer);
                if (buffer.IsEmpty) break;
                var first = buffer.FirstSpan[0];
                if (!opened)
                {
                    if (first != (byte)'[') throw new JsonBodyException("The body is not a JSON array.");
                    opened = true;
                    buffer = buffer.Slice(1);
                    continue;
                }
                if (first == (byte)']')
                {
                    reader.AdvanceTo(buffer.GetPosition(1));
                    if (SkipWhitespace(await Rest(reader, cancellationToken)).Length > 0) throw new JsonBodyException("The body holds more after its array.");
                    yield break;
                }
                if (first == (byte)',')
                {
                    if (index == 0) throw new JsonBodyException("The array starts with a comma.");
                    buffer = buffer.Slice(1);
                    continue;
                }
                if (Element(buffer, read.IsCompleted, index) is not { } length) break;
                if (length > maxElementBytes) throw new JsonBodyException($"Element {index} is longer than {maxElementBytes} bytes.");
                yield return buffer.Slice(0, length).ToArray();
                buffer = buffer.Slice(length);
                index++;
            }
            if (buffer.Length > maxElementBytes) throw new JsonBodyException($"Element {index} is longer than {maxElementBytes} bytes.");
            if (read.IsCompleted) throw new JsonBodyException(opened ? "The array is not closed." : "The body is empty.");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The length of the complete value at the buffer's start, or null when more of it must arrive.</summary>
    private static long? Element(ReadOnlySequence<byte> buffer, bool final, int index)
    {
        var json = new Utf8JsonReader(buffer, isFinalBlock: final, state: default);
        try
        {
            if (!json.Read()) return final ? throw new JsonBodyException($"Element {index} is cut short.") : null;
            if (!json.TrySkip()) return final ? throw new JsonBodyException($"Element {index} is cut short.") : null;
        }
        catch (JsonException exception)
        {
            throw new JsonBodyException($"Element {index} is not valid JSON: {exception.Message}");
        }
        return json.BytesConsumed;
    }

    private static async Task<ReadOnlySequence<byte>> Rest(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.IsCompleted || read.Buffer.Length > 1024)
            {
                var rest = new ReadOnlySequence<byte>(read.Buffer.ToArray());
                reader.AdvanceTo(read.Buffer.End);
                return rest;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static ReadOnlySequence<byte> SkipWhitespace(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.AdvancePastAny((byte)' ', (byte)'\t', (byte)'\r', (byte)'\n');
        return buffer.Slice(reader.Position);
    }
}
