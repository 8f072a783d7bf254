using System.Collections.Concurrent;

namespace GrowthOs.Connector.Shopify;

/// <summary>
/// Paces requests by Shopify's own leaky bucket, as each response's <c>extensions.cost.throttleStatus</c> reports it:
/// before a request, the points the bucket will hold by then are estimated from the last report and its restore rate,
/// and when they fall short of the request's cost the request waits for them, so THROTTLED stays rare.
/// </summary>
public sealed class ThrottleGate(TimeProvider clock)
{
    /// <summary>The longest a request is held back; beyond it Shopify's THROTTLED answer and the retry take over.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (double Available, double RestoreRate, double Maximum, DateTimeOffset At)> _buckets =
        new(StringComparer.OrdinalIgnoreCase);

    public void Record(string shop, QueryCost cost) =>
        _buckets[shop] = (cost.CurrentlyAvailable, cost.RestoreRate, cost.MaximumAvailable, clock.GetUtcNow());

    /// <summary>How long a request costing <paramref name="cost"/> points should wait before it is sent.</summary>
    public TimeSpan WaitFor(string shop, double cost)
    {
        if (!_buckets.TryGetValue(shop, out var bucket) || bucket.RestoreRate <= 0) return TimeSpan.Zero;
        var elapsed = (clock.GetUtcNow() - bucket.At).TotalSeconds;
        var available = Math.Min(bucket.Maximum, bucket.Available + elapsed * bucket.RestoreRate);
        if (available >= cost) return TimeSpan.Zero;
        var wait = TimeSpan.FromSeconds((cost - available) / bucket.RestoreRate);
        return wait < MaxWait ? wait : MaxWait;
    }

    /// <summary>Waits as long as <see cref="WaitFor"/> says.</summary>
    public async Task Pace(string shop, double cost, CancellationToken cancellationToken)
    {
        var wait = WaitFor(shop, cost);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);
    }
}
