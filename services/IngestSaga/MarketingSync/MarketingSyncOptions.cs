using System.ComponentModel.DataAnnotations;
using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Scheduling;

namespace GrowthOs.IngestSaga.MarketingSync;

public sealed class MarketingSyncOptions : IRetrySettings, IValidatableObject
{
    public const string Section = "MarketingSync";

    /// <summary>Which shops sync which marketing sources (a shop must also be one of BulkSync:Shops), and when.</summary>
    public List<MarketingShop> Shops { get; set; } = [];

    /// <summary>When a shop's marketing sources are synced when it names no time: every day at 06:30 UTC, after the Shopify sync.</summary>
    public string DefaultCron { get; set; } = "30 6 * * *";

    /// <summary>Days a first sync of a source reads, up to yesterday.</summary>
    [Range(1, 1_100)]
    public int FirstSyncDays { get; set; } = 180;

    /// <summary>
    /// Days before the watermark read again, where each platform revises its figures (late conversions, attribution):
    /// Meta up to 28 days, Google Ads about 14, GA4 a few days, Klaviyo a week.
    /// </summary>
    public Dictionary<string, int> TrailingDays { get; set; } = new(StringComparer.Ordinal)
    {
        [MarketingSources.Meta] = 28,
        [MarketingSources.GoogleAds] = 14,
        [MarketingSources.Ga4] = 3,
        // Opens, clicks and the revenue Klaviyo attributes to a send go on coming in for days after it.
        [MarketingSources.Klaviyo] = 7,
    };

    /// <summary>
    /// How long a fetch may take before it is sent again (an asynchronous Meta report can take minutes); a Connector that
    /// died mid-fetch gets its command back from the broker sooner.
    /// </summary>
    [Range(1, 86_400)]
    public int FetchTimeoutSeconds { get; set; } = 900;

    /// <summary>First wait after a transient failure; doubled each time, with jitter, at least what the source asked.</summary>
    [Range(1, 3_600)]
    public int RetryBaseSeconds { get; set; } = 30;

    [Range(1, 86_400)]
    public int RetryMaxSeconds { get; set; } = 3_600;

    /// <summary>A run still retrying this long after it was requested fails.</summary>
    [Range(1, 720)]
    public int RetryBudgetHours { get; set; } = 12;

    /// <summary>
    /// A run whose load left out this share of the rows it read, or more, ends <c>partial</c> with the reason and the
    /// first rows left out, and its watermark stays (0.5: most of them; 1: only when every row was left out).
    /// </summary>
    [Range(0.01, 1)]
    public decimal PartialRejectedShare { get; set; } = 0.5m;

    /// <summary>
    /// A run that has heard nothing back from a command (fetch, upsert, refresh) for this long sends it again: a command,
    /// or its answer, lost to a broker restart must not leave the run waiting forever.
    /// </summary>
    [Range(1, 86_400)]
    public int CommandResendSeconds { get; set; } = 600;

    public TimeSpan CommandResendInterval => TimeSpan.FromSeconds(CommandResendSeconds);
    public TimeSpan FetchTimeout => TimeSpan.FromSeconds(FetchTimeoutSeconds);

    public int TrailingDaysOf(string source) => TrailingDays.GetValueOrDefault(source, 3);

    /// <summary>A shop's account of a source connected at run time (given by the service's copy of the connections), or null.</summary>
    public Func<string, string, ShopConnection?> ConnectedAccountOf { get; set; } = (_, _) => null;

    /// <summary>
    /// The days a sync of a shop's source reads again before its watermark, and the first day its first sync reads: a
    /// connected account's own <c>lookback_minutes</c> (in whole days, one at least) and <c>history_start</c>, else the settings'.
    /// </summary>
    public (int TrailingDays, DateOnly? HistoryStart) WindowOf(string shop, string source) =>
        ConnectedAccountOf(shop, source) is { } account
            ? (account.LookbackMinutes is { } minutes ? Math.Max(1, (minutes + 1_439) / 1_440) : TrailingDaysOf(source), account.HistoryStart)
            : (TrailingDaysOf(source), null);

    /// <summary>
    /// The sources a shop syncs: those it lists, every one when it lists none, none when the shop is not listed; and
    /// beside them, those whose accounts are connected to the shop at run time (<see cref="ConnectedSourcesOf"/>).
    /// </summary>
    public IReadOnlyList<string> SourcesOf(string shop)
    {
        IReadOnlyList<string> listed = Shops.FirstOrDefault(s => string.Equals(s.Shop, shop, StringComparison.OrdinalIgnoreCase)) is { } settings
            ? settings.Sources.Count > 0 ? settings.Sources.Distinct().ToList() : MarketingSources.All
            : [];
        var connected = ConnectedSourcesOf(shop);
        return connected.Count == 0 ? listed : [.. MarketingSources.All.Where(source => listed.Contains(source) || connected.Contains(source))];
    }

    /// <summary>The sources whose accounts are connected to a shop at run time and sync (given by the service's copy of the connections).</summary>
    public Func<string, IReadOnlyList<string>> ConnectedSourcesOf { get; set; } = _ => [];

    public string CronFor(string shop) =>
        Shops.FirstOrDefault(s => string.Equals(s.Shop, shop, StringComparison.OrdinalIgnoreCase))?.Cron ?? DefaultCron;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CronExpression.TryParse(DefaultCron, out _, out var error))
            yield return new ValidationResult($"MarketingSync:DefaultCron is not valid: {error}", [nameof(DefaultCron)]);
        foreach (var (source, days) in TrailingDays)
        {
            if (!MarketingSources.All.Contains(source))
                yield return new ValidationResult($"MarketingSync:TrailingDays names an unknown source '{source}'; "
                    + $"known: {string.Join(", ", MarketingSources.All)}.");
            if (days is < 1 or > 400) yield return new ValidationResult($"MarketingSync:TrailingDays:{source} must be between 1 and 400.");
        }
        for (var i = 0; i < Shops.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Shops[i].Shop)) yield return new ValidationResult($"MarketingSync:Shops:{i}:Shop is required.");
            if (Shops[i].Sources.Except(MarketingSources.All).ToList() is { Count: > 0 } unknown)
                yield return new ValidationResult($"MarketingSync:Shops:{i}:Sources names unknown sources ({string.Join(", ", unknown)}); "
                    + $"known: {string.Join(", ", MarketingSources.All)}.");
            if (Shops[i].Cron is { } cron && !CronExpression.TryParse(cron, out _, out var shopError))
                yield return new ValidationResult($"MarketingSync:Shops:{i}:Cron is not valid: {shopError}");
        }
    }
}
