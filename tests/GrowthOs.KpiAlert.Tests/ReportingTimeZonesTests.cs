using GrowthOs.KpiAlert.Kpis;
using GrowthOs.ServiceDefaults.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>The one reporting time zone of a shop, read the same way by every service that counts its days.</summary>
public sealed class ReportingTimeZonesTests
{
    private const string Shop = "zoned-shop.myshopify.com";

    [Fact]
    public void A_connected_shops_own_zone_wins_over_the_settings_and_any_other_shop_counts_utc_days()
    {
        var zones = new ReportingTimeZones(new Dictionary<string, string> { [Shop] = "America/New_York", ["set.myshopify.com"] = "Asia/Tokyo" },
            shop => shop == Shop ? "Europe/Berlin" : null);
        Assert.Equal("Europe/Berlin", zones.ZoneOf(Shop));
        Assert.Equal("Asia/Tokyo", zones.ZoneOf("SET.myshopify.com"));
        Assert.Equal("UTC", zones.ZoneOf("other.myshopify.com"));

        // 23:30 UTC on 1 March is already 2 March in Tokyo and still 1 March in UTC.
        var now = new DateTimeOffset(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2026, 3, 2), zones.Today("set.myshopify.com", now));
        Assert.Equal(new DateOnly(2026, 3, 1), zones.Today("other.myshopify.com", now));
    }

    [Fact]
    public void Every_service_reads_the_one_section_and_the_former_ones_or_an_unknown_zone_stop_the_host_naming_the_setting()
    {
        using (var configured = Configured(new Dictionary<string, string?> { [$"ReportingTimeZones:{Shop}"] = "Asia/Tokyo" }))
            Assert.Equal("Asia/Tokyo", configured.GetRequiredService<IOptions<KpiOptions>>().Value.TimeZoneOf(Shop));

        var refused = Assert.Throws<OptionsValidationException>(() => Configured(new Dictionary<string, string?>
        {
            [$"ReportingTimeZones:{Shop}"] = "Mars/Olympus_Mons",
            [$"Kpi:ReportingTimeZones:{Shop}"] = "Asia/Tokyo",
        }));
        Assert.Contains(refused.Failures, failure => failure.Contains($"ReportingTimeZones:{Shop} 'Mars/Olympus_Mons' is not a known IANA time zone.",
            StringComparison.Ordinal));
        Assert.Contains(refused.Failures, failure => failure.Contains("Kpi:ReportingTimeZones is no longer read", StringComparison.Ordinal));
    }

    /// <summary>A service's options as its host builds them (no connections copy: the settings' zones alone), validated.</summary>
    private static ServiceProvider Configured(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<KpiOptions>();
        services.UseReportingTimeZones<KpiOptions>((options, zones) => options.TimeZones = zones);
        var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<ReportingTimeZoneSettings>>().Value;
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
