using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.ServiceDefaults.Connections;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>The days a marketing sync reads: the settings' window, or a connected account's own history start and lookback.</summary>
public sealed class MarketingWindowTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static ShopConnection Account(DateOnly? historyStart, int? lookbackMinutes) =>
        new(Guid.NewGuid(), "window.myshopify.com", "active", null, "Europe/Rome", "EUR", "5 6 * * *", [], historyStart, lookbackMinutes);

    [Fact]
    public void A_source_without_a_connected_account_reads_the_settings_window()
    {
        var options = new MarketingSyncOptions { FirstSyncDays = 180 };
        var (trailing, start) = options.WindowOf("window.myshopify.com", "meta");
        Assert.Equal((28, (DateOnly?)null), (trailing, start));
        Assert.Equal((new DateOnly(2026, 6, 9), new DateOnly(2026, 12, 5)), MarketingWatermarks.Range(null, Today, trailing, options.FirstSyncDays, start));
        Assert.Equal((new DateOnly(2026, 11, 8), new DateOnly(2026, 12, 5)), MarketingWatermarks.Range(new DateOnly(2026, 12, 4), Today, trailing, 180, start));
    }

    [Fact]
    public void A_connected_accounts_history_start_is_its_first_syncs_first_day_and_its_lookback_its_window_in_whole_days()
    {
        var options = new MarketingSyncOptions
        {
            FirstSyncDays = 180, ConnectedAccountOf = (_, source) => source == "meta" ? Account(new DateOnly(2025, 1, 15), 2 * 1_440 + 1) : null,
        };
        var (trailing, start) = options.WindowOf("window.myshopify.com", "meta");
        Assert.Equal((3, (DateOnly?)new DateOnly(2025, 1, 15)), (trailing, start));
        // Further back than the settings' 180 days, when the account asks for it; and never before it by a daily sync.
        Assert.Equal(new DateOnly(2025, 1, 15), MarketingWatermarks.Range(null, Today, trailing, options.FirstSyncDays, start).Since);
        Assert.Equal(new DateOnly(2026, 12, 3), MarketingWatermarks.Range(new DateOnly(2026, 12, 4), Today, trailing, 180, start).Since);
        Assert.Equal(new DateOnly(2025, 1, 15), MarketingWatermarks.Range(new DateOnly(2024, 6, 1), Today, trailing, 180, start).Since);
        // A start later than the settings' window shortens the first sync; one older than the platforms keep is held to 1,100 days.
        Assert.Equal(new DateOnly(2026, 11, 20), MarketingWatermarks.Range(null, Today, 3, 180, new DateOnly(2026, 11, 20)).Since);
        Assert.Equal(Today.AddDays(-MarketingWatermarks.MaxHistoryDays), MarketingWatermarks.Range(null, Today, 3, 180, new DateOnly(2000, 1, 1)).Since);
        // Another source of the shop keeps the settings' window; a lookback of none still reads the last day again.
        Assert.Equal((14, (DateOnly?)null), options.WindowOf("window.myshopify.com", "google_ads"));
        Assert.Equal(1, new MarketingSyncOptions { ConnectedAccountOf = (_, _) => Account(null, 0) }.WindowOf("window.myshopify.com", "ga4").TrailingDays);
    }
}
