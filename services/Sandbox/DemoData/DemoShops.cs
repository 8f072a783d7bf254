using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.DemoData;

/// <summary>The configured shops, each built once, anchored on the configured last day or on the shop's yesterday.</summary>
public sealed class DemoShops(IOptions<SandboxOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DemoShop> _shops = new(StringComparer.OrdinalIgnoreCase);

    public SandboxShop? Settings(string domain) =>
        options.Value.Shops.FirstOrDefault(s => string.Equals(s.Domain, domain, StringComparison.OrdinalIgnoreCase));

    public DemoShop Get(SandboxShop settings) =>
        _shops.GetOrAdd(settings.Domain, _ => new DemoShop(settings, LastDay(settings)));

    /// <summary>The configured anchor, else the shop's yesterday (at the configured moment, or now): the last whole day in its own time zone.</summary>
    private DateOnly LastDay(SandboxShop settings) =>
        options.Value.AnchorDate
        ?? DateOnly.FromDateTime(
                TimeZoneInfo.ConvertTime(options.Value.AnchorAt ?? clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone)).DateTime)
            .AddDays(-1);
}
