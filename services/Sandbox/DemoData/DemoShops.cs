using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.DemoData;

/// <summary>The configured shops, each built once, anchored on the configured last day or on yesterday.</summary>
public sealed class DemoShops(IOptions<SandboxOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DemoShop> _shops = new(StringComparer.OrdinalIgnoreCase);

    public SandboxShop? Settings(string domain) =>
        options.Value.Shops.FirstOrDefault(s => string.Equals(s.Domain, domain, StringComparison.OrdinalIgnoreCase));

    public DemoShop Get(SandboxShop settings) =>
        _shops.GetOrAdd(settings.Domain, _ => new DemoShop(settings, LastDay));

    private DateOnly LastDay => options.Value.AnchorDate ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
}
