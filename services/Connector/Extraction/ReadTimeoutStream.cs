namespace GrowthOs.Connector.Extraction;

/// <summary>
/// A read-only stream over <paramref name="inner"/> whose every read must return within <paramref name="timeout"/>: a
/// download that stalls (the connection open, nothing arriving) ends with an <see cref="IOException"/> instead of
/// holding its consumer for ever. A download as a whole has no time limit; a result may be gigabytes.
/// </summary>
public sealed class ReadTimeoutStream(Stream inner, TimeSpan timeout) : Stream
{
    /// <summary>Whether a read failed: the download broke, as opposed to whatever the bytes were being written to.</summary>
    public bool Failed { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await inner.ReadAsync(buffer, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Failed = true;
            throw new IOException($"The download received nothing for {timeout.TotalSeconds:0} s.");
        }
        catch
        {
            Failed = true;
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
