namespace GrowthOs.Connector.Extraction;

/// <summary>A read-only pass-through stream that counts JSONL lines (including a last line without its newline).</summary>
public sealed class LineCountingStream(Stream inner) : ReadOnlyPassThroughStream(inner)
{
    private long _newLines;
    private bool _lastByteWasNewLine = true;

    public long Lines => _newLines + (_lastByteWasNewLine ? 0 : 1);

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, Inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Count(buffer.Span[..read]);
    }

    private int Count(ReadOnlySpan<byte> read)
    {
        if (read.Length == 0) return 0;
        _newLines += read.Count((byte)'\n');
        _lastByteWasNewLine = read[^1] == (byte)'\n';
        return read.Length;
    }
}
