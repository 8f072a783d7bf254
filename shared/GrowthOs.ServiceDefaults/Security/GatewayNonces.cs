using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>
/// The nonces of the gateway's signatures a service has seen within their window: a signed request sent again (by
/// anyone who caught it on the way) is refused. Each replica remembers its own.
/// </summary>
public sealed class GatewayNonces(IOptions<GatewayTrustOptions> options)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>False when the nonce was seen within the window.</summary>
    public bool TryUse(string nonce, DateTimeOffset now)
    {
        var at = now.ToUnixTimeSeconds();
        var window = options.Value.MaxSkewSeconds * 2L;
        if (at >= Interlocked.Read(ref _nextSweep))
        {
            Interlocked.Exchange(ref _nextSweep, at + window);
            foreach (var (seen, expires) in _seen)
                if (expires < at) _seen.TryRemove(seen, out _);
        }
        return _seen.TryAdd(nonce, at + window);
    }
}
