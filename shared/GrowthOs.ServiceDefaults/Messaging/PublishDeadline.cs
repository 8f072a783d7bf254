namespace GrowthOs.ServiceDefaults.Messaging;

/// <summary>
/// A publish whose confirm the broker never sends (one lost while the broker restarts) would hold its caller for good,
/// and with it the connection's recovery. A background publisher — an outbox, a scheduler — publishes through
/// <see cref="Within"/>: after <see cref="Default"/> the publish is cancelled and a <see cref="TimeoutException"/>
/// thrown, the caller leaves its rows unmarked and tries again on its next round. The message may then go out twice,
/// which its consumers already expect of at-least-once delivery. Still needed on RabbitMQ.Client 7.2.2 too: without it, the
/// durable-wait dispatcher's publish during a broker restart never returned, and the run it was waking waited for good.
/// </summary>
public static class PublishDeadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    private static long _stalledSinceTicks;
    private static long _lastTimeoutTicks;

    /// <summary>
    /// Since when every publish through <see cref="Within"/> has timed out; null when the last one went through, or when
    /// none has timed out lately (nothing published since says nothing of the bus).
    /// </summary>
    public static DateTimeOffset? StalledSince =>
        Interlocked.Read(ref _stalledSinceTicks) is var ticks and > 0
        && DateTimeOffset.UtcNow.UtcTicks - Interlocked.Read(ref _lastTimeoutTicks) < 2 * Default.Ticks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    public static async Task Within(Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Default);
        try
        {
            // WaitAsync: the caller goes on even if the transport ignores the cancellation.
            await publish(deadline.Token).WaitAsync(deadline.Token);
            Interlocked.Exchange(ref _stalledSinceTicks, 0);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _stalledSinceTicks, DateTimeOffset.UtcNow.UtcTicks - Default.Ticks, 0);
            Interlocked.Exchange(ref _lastTimeoutTicks, DateTimeOffset.UtcNow.UtcTicks);
            throw new TimeoutException($"The broker did not take the message within {Default.TotalSeconds:N0} s; it is published again later.");
        }
    }
}
