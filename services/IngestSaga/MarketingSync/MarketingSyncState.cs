using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.SyncRuns;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>
/// One marketing sync run of one shop and source. Persisted in <c>ingest.marketing_sync_state</c>; the run id is the
/// correlation id.
/// </summary>
public class MarketingSyncState : SyncRunState
{
    public MarketingSyncState() => JobType = JobTypes.MarketingSync;

    public string Source { get; set; } = "";

    /// <summary>The days the run reads (inclusive; the platform's reporting days).</summary>
    public DateOnly? Since { get; set; }
    public DateOnly? Until { get; set; }

    /// <summary>The days a backfill asked for; null for a daily sync, which works them out from the watermark.</summary>
    public DateOnly? RequestedFrom { get; set; }
    public DateOnly? RequestedTo { get; set; }

    /// <summary>Numbers the run's fetches: a fetch sent again after a deferral is a new attempt, archived under its own prefix.</summary>
    public int Attempt { get; set; } = 1;

    public string? ManifestKey { get; set; }
    public int Pages { get; set; }
    public long RowsFetched { get; set; }
    public long ArchivedBytes { get; set; }
    public long RowsUpserted { get; set; }
    public long RowsRejected { get; set; }

    /// <summary>The source refused part of the range for good; what it answered was loaded, and the watermark stays.</summary>
    public bool IsPartial { get; set; }
    public string? PartialReason { get; set; }

    public void Begin(string jobType, string shop, string source, string initiator, DateTimeOffset requestedAt)
    {
        BeginRun(jobType, shop, initiator, requestedAt);
        Source = source;
    }

    /// <summary>A sync of the source's trailing days, or, with the days asked for, a backfill of them.</summary>
    public void BeginSync(MarketingSyncRequested message)
    {
        var backfill = message.From is not null && message.To is not null;
        Begin(backfill ? JobTypes.MarketingBackfill : JobTypes.MarketingSync, message.ShopDomain, message.Source, message.Initiator, message.RequestedAt);
        (RequestedFrom, RequestedTo) = (message.From, message.To);
    }

    /// <summary>A replay loads an archived manifest.</summary>
    public void BeginReplay(MarketingReplayRequested message)
    {
        Begin(JobTypes.MarketingReplay, message.ShopDomain, message.Source, "user", message.RequestedAt);
        ManifestKey = message.ManifestKey;
    }

    /// <summary>The fetch is archived: its manifest, what it read, and whether the source refused part of the range.</summary>
    public void Archived(MarketingReportArchived message)
    {
        (ManifestKey, Pages, RowsFetched, ArchivedBytes) = (message.ManifestKey, message.Pages, message.Rows, message.Bytes);
        (IsPartial, PartialReason, RetryAttempts) = (message.Partial, message.PartialReason, 0);
    }

    /// <summary>
    /// The report is loaded. A replay learns its days from the manifest it loaded. When <paramref name="partialShare"/> of
    /// the rows read or more were left out, its figures are missing, not zero: the run says so and keeps its watermark.
    /// </summary>
    public void Upserted(MarketingReportUpserted message, decimal partialShare)
    {
        (RowsUpserted, RowsRejected) = (message.Rows, message.Rejected);
        (Since, Until) = (Since ?? message.Since, Until ?? message.Until);
        if (message.Rejected == 0 || (decimal)message.Rejected / (message.Rows + message.Rejected) < partialShare) return;
        IsPartial = true;
        PartialReason = string.Join(" ", new[]
        {
            PartialReason,
            $"ROWS_REJECTED: {message.Rejected} of {message.Rows + message.Rejected} rows were left out.",
            message.RejectedExamples is { Count: > 0 } examples ? "First left out: " + string.Join("; ", examples) + "." : null,
        }.Where(part => part is not null));
    }

    /// <summary>Every step of a marketing run is the source's: telemetry names it as a bulk run's names its entity.</summary>
    public override void EnterStep(string step, DateTimeOffset at)
    {
        if (Steps.Count > 0 && Steps[^1].EndedAt is null) Steps[^1] = Steps[^1] with { EndedAt = at };
        Steps.Add(new StepTiming(step, at, null, Source));
    }

    public string CurrentStep => Steps.Count > 0 ? Steps[^1].Step : SyncRuns.Steps.Initiated;

    public override Dictionary<string, long> Counts() => new()
    {
        ["attempts"] = Attempt,
        ["pages"] = Pages,
        ["rows_fetched"] = RowsFetched,
        ["archived_bytes"] = ArchivedBytes,
        ["records_upserted"] = RowsUpserted,
        ["rows_rejected"] = RowsRejected,
        ["retry_attempts"] = RetryAttempts,
    };
}
