using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Meta;

/// <summary>
/// Paces calls per ad account: never more than <see cref="MetaOptions.MaxCallsPerHour"/> in an hour, spaced out as
/// Meta's reported usage climbs past <see cref="MetaOptions.SlowDownAtPercent"/> (up to a minute between calls near
/// 100 %), and none until the time Meta said access is regained.
/// </summary>
public sealed class MetaPacer(IOptions<MetaOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (MetaUsage Usage, DateTimeOffset At)> _usage = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _calls = new(StringComparer.Ordinal);

    /// <summary>How long the next call of <paramref name="adAccountId"/> must wait; the call is counted as made at its end.</summary>
    public TimeSpan Reserve(string adAccountId)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (_usage.TryGetValue(adAccountId, out var last))
        {
            var regainAt = last.At + last.Usage.RegainAccessIn;
            if (regainAt > now) wait = regainAt - now;
            if (last.Usage.Percent >= settings.SlowDownAtPercent)
            {
                var share = Math.Min(1, (last.Usage.Percent - settings.SlowDownAtPercent) / (100.0 - settings.SlowDownAtPercent));
                var spacing = TimeSpan.FromSeconds(60 * share) - (now - last.At);
                if (spacing > wait) wait = spacing;
            }
        }
        var calls = _calls.GetOrAdd(adAccountId, _ => new Queue<DateTimeOffset>());
        lock (calls)
        {
            while (calls.Count > 0 && calls.Peek() <= now - TimeSpan.FromHours(1)) calls.Dequeue();
            if (calls.Count >= settings.MaxCallsPerHour)
            {
                var free = calls.Peek() + TimeSpan.FromHours(1) - now;
                if (free > wait) wait = free;
            }
            calls.Enqueue(now + wait);
        }
        return wait;
    }

    public void Record(string adAccountId, MetaUsage usage) => _usage[adAccountId] = (usage, clock.GetUtcNow());
}
