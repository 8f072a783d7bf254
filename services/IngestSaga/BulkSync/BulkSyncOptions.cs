using System.ComponentModel.DataAnnotations;
using GrowthOs.Contracts.Extraction;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.ServiceDefaults.Connections;

namespace GrowthOs.IngestSaga.BulkSync;

public sealed class BulkSyncOptions : IRetrySettings
{
    public const string Section = "BulkSync";

    /// <summary>Wait between two polls of a running bulk operation.</summary>
    [Range(1, 3600, ErrorMessage = "BulkSync:PollIntervalSeconds must be between 1 and 3600.")]
    public int PollIntervalSeconds { get; set; } = 16;

    /// <summary>
    /// Whether Shopify tells of finished operations by webhook (the Connector subscribes when Shopify:WebhookCallbackUrl
    /// is set): a run then polls when told, and in case a delivery is lost or late, once after
    /// <see cref="PollIntervalSeconds"/> and then after waits that double from there up to
    /// <see cref="WebhookFallbackPollSeconds"/>.
    /// </summary>
    public bool CompletionWebhooks { get; set; }

    [Range(1, 3600, ErrorMessage = "BulkSync:WebhookFallbackPollSeconds must be between 1 and 3600.")]
    public int WebhookFallbackPollSeconds { get; set; } = 120;

    /// <summary>Polls of one operation before the run fails as timed out.</summary>
    [Range(1, 100_000, ErrorMessage = "BulkSync:MaxPollAttempts must be between 1 and 100000.")]
    public int MaxPollAttempts { get; set; } = 128;

    /// <summary>A sync never reads further back than this; a missing or older watermark resets to now minus the floor.</summary>
    [Range(1, 3650, ErrorMessage = "BulkSync:WatermarkFloorDays must be between 1 and 3650.")]
    public int WatermarkFloorDays { get; set; } = 128;

    /// <summary>Window re-read before the watermark to catch records updated late.</summary>
    [Range(0, 10_080, ErrorMessage = "BulkSync:LookbackMinutes must be between 0 and 10080.")]
    public int LookbackMinutes { get; set; } = 60;

    /// <summary>
    /// Shops this deployment syncs from its settings, beside the ones connected at run time (POST /api/connections); the
    /// first is the default of a sync request that names none.
    /// </summary>
    public List<string> Shops { get; set; } = [];

    /// <summary>Entities a run extracts, in this order, when the request names none; empty means every one of <see cref="Entities.All"/>.</summary>
    [KnownEntities]
    public List<string> DefaultEntities { get; set; } = [];

    /// <summary>What a run extracts when the request names nothing.</summary>
    public IReadOnlyList<string> EntitiesToSync => DefaultEntities.Count > 0 ? DefaultEntities.Distinct().ToList() : Entities.All;

    /// <summary>First wait after a transient failure (throttling, 429, 5xx); doubled each time, with jitter.</summary>
    [Range(1, 3600, ErrorMessage = "BulkSync:RetryBaseSeconds must be between 1 and 3600.")]
    public int RetryBaseSeconds { get; set; } = 15;

    /// <summary>Longest wait between two retries.</summary>
    [Range(1, 86_400, ErrorMessage = "BulkSync:RetryMaxSeconds must be between 1 and 86400.")]
    public int RetryMaxSeconds { get; set; } = 900;

    /// <summary>Wait when Shopify says another bulk query of the shop is running (OPERATION_IN_PROGRESS, LIMIT_REACHED).</summary>
    [Range(1, 86_400, ErrorMessage = "BulkSync:BusyWaitSeconds must be between 1 and 86400.")]
    public int BusyWaitSeconds { get; set; } = 60;

    /// <summary>A run that is still retrying this long after it was requested fails.</summary>
    [Range(1, 720, ErrorMessage = "BulkSync:RetryBudgetHours must be between 1 and 720.")]
    public int RetryBudgetHours { get; set; } = 12;

    /// <summary>Records per upsert transaction of a backfill, larger than a daily sync's.</summary>
    [Range(1, 1_000_000, ErrorMessage = "BulkSync:BackfillChunkSize must be between 1 and 1000000.")]
    public int BackfillChunkSize { get; set; } = 20_000;

    /// <summary>
    /// The first sync of a shop (no orders watermark, no history asked for yet) also loads, once, every order created
    /// before the watermark floor: when it has loaded its orders whole, it requests a backfill run from
    /// <see cref="HistoryFrom"/> to the floor's date.
    /// </summary>
    public bool LoadHistory { get; set; } = true;

    /// <summary>The first day a new shop's history is read from (UTC): before any Shopify order can have been made.</summary>
    public DateOnly HistoryFrom { get; set; } = new(2006, 1, 1);

    /// <summary>
    /// The shop's connection, when it was connected at run time (given by its copy of the connections): its own history
    /// start and lookback win over <see cref="HistoryFrom"/> and <see cref="LookbackMinutes"/>.
    /// </summary>
    public Func<string, ShopConnection?> ConnectionOf { get; set; } = _ => null;

    /// <summary>The lookback of <paramref name="shop"/>: its connection's, else the deployment's.</summary>
    public int LookbackOf(string shop) => ConnectionOf(shop)?.LookbackMinutes ?? LookbackMinutes;

    /// <summary>The first day of <paramref name="shop"/>'s history (UTC): its connection's history start, else <see cref="HistoryFrom"/>.</summary>
    public DateOnly HistoryFromOf(string shop) => ConnectionOf(shop)?.HistoryStart ?? HistoryFrom;

    /// <summary>The start of a connection's own history start (UTC), when it has one: nothing older is read for the shop.</summary>
    public DateTimeOffset? HistoryStartOf(string shop) =>
        ConnectionOf(shop)?.HistoryStart is { } start ? new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>A backfill yields to daily syncs: its wait when Shopify says another bulk query runs.</summary>
    [Range(1, 86_400, ErrorMessage = "BulkSync:BackfillBusyWaitSeconds must be between 1 and 86400.")]
    public int BackfillBusyWaitSeconds { get; set; } = 300;

    /// <summary>
    /// A run that has heard nothing back from a command (start, poll, download, upsert, refresh) for this long sends it
    /// again: a command, or its answer, lost to a broker restart (a publish never confirmed) must not leave the run
    /// waiting forever. The Transform service takes one upsert of an entity of a shop, and one refresh of a run, at a
    /// time, so a command sent again while the first still works waits for it.
    /// </summary>
    [Range(1, 86_400, ErrorMessage = "BulkSync:CommandResendSeconds must be between 1 and 86400.")]
    public int CommandResendSeconds { get; set; } = 600;

    public TimeSpan CommandResendInterval => TimeSpan.FromSeconds(CommandResendSeconds);

    /// <summary>The first poll of an operation, in case it finished before its webhook could find the run.</summary>
    public TimeSpan FirstPollDelay => TimeSpan.FromSeconds(PollIntervalSeconds);

    /// <summary>
    /// The wait after the <paramref name="polls"/>-th poll of an operation found it still running: the poll interval
    /// without webhooks; with them, twice the wait before (the first poll's delay doubled, then doubled again) up to the
    /// fallback, so that a delivery that comes late, or not at all, costs seconds on a short operation and few polls on a
    /// long one.
    /// </summary>
    public TimeSpan PollGapAfter(int polls) => TimeSpan.FromSeconds(CompletionWebhooks
        ? Math.Min(WebhookFallbackPollSeconds, PollIntervalSeconds * Math.Pow(2, Math.Clamp(polls, 1, 30)))
        : PollIntervalSeconds);

    /// <summary>Another bulk query holds the shop's slot: a fixed wait, longer for a backfill.</summary>
    public TimeSpan? BusyWait(bool backfill) => TimeSpan.FromSeconds(backfill ? BackfillBusyWaitSeconds : BusyWaitSeconds);
}
