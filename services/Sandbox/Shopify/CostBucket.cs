using System.Collections.Concurrent;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>Shopify's leaky bucket of query cost points per shop: 2,000 points, restored at 100 a second.</summary>
public sealed class CostBucket(TimeProvider clock)
{
    public const double MaximumAvailable = 2_000;
    public const double RestoreRate = 100;

    private readonly ConcurrentDictionary<string, (double Available, DateTimeOffset At)> _buckets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes <paramref name="cost"/> points if the bucket holds them; returns what is left either way.</summary>
    public (bool Granted, double Available) TryTake(string shop, double cost)
    {
        var granted = false;
        var now = clock.GetUtcNow();
        var state = _buckets.AddOrUpdate(shop,
            _ =>
            {
                granted = true;
                return (MaximumAvailable - cost, now);
            },
            (_, current) =>
            {
                var available = Math.Min(MaximumAvailable, current.Available + (now - current.At).TotalSeconds * RestoreRate);
                granted = available >= cost;
                return (granted ? available - cost : available, now);
            });
        return (granted, state.Available);
    }
}
