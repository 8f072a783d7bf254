namespace GrowthOs.Connector.Extraction;

/// <summary>
/// A read-only stream over <paramref name="inner"/> whose every read must return within <paramref name="timeout"/>: a
/// download that stalls (the connection open, nothing arriving) ends with an <see cref="IOException"/> instead of
/// holding its consumer for ever. A download as a whole has no time limit; a result may be gigabytes.
/// </summary>
public sealed class ReadTimeoutStream(Stream inner, TimeSpan timeout) : ReadOnlyPassThroughStream(inner)
{
    /// <summary>Whether a read failed: the download broke, as opposed to whatever the bytes were being written to.</summary>
    public bool Failed { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await Inner.ReadAsync(buffer, deadline.Token);
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
}
