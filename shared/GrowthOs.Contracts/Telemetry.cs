namespace GrowthOs.Contracts.Telemetry;

/// <summary>
/// A sync run entered or left a step. <paramref name="Status"/> is one of <see cref="StepStatuses"/>;
/// <paramref name="Step"/> one of <see cref="SyncSteps"/>; <paramref name="Entity"/> names the entity an extraction step
/// works on (null for the run's own steps).
/// </summary>
public record SyncStepChanged(
    Guid RunId,
    string ShopDomain,
    string JobType,
    string Step,
    string Status,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, long> Counts,
    string? Error,
    string? Entity = null);

/// <summary>The steps of a sync run, as <see cref="SyncStepChanged.Step"/> and the runs API name them.</summary>
public static class SyncSteps
{
    public const string Initiated = "initiated";
    public const string Requested = "requested";
    public const string Polling = "polling";
    public const string Downloading = "downloading";
    public const string Upserting = "upserting";

    /// <summary>A marketing run: the Connector reads the source's pages (or its asynchronous report).</summary>
    public const string Fetching = "fetching";

    /// <summary>A marketing run: every page is stored; the run's manifest, which names them, is written.</summary>
    public const string Archiving = "archiving";
    public const string Transforming = "transforming";
    public const string Completed = "completed";
    public const string Partial = "partial";
    public const string Failed = "failed";
}

/// <summary>What a <see cref="SyncStepChanged"/> says of its step.</summary>
public static class StepStatuses
{
    /// <summary>The run entered the step.</summary>
    public const string Started = "started";

    /// <summary>The run completed (step <c>completed</c>).</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The run ended with some entity skipped, failed or loaded from partial data (step <c>partial</c>).</summary>
    public const string Partial = "partial";

    /// <summary>The run failed (step <c>failed</c>).</summary>
    public const string Failed = "failed";
}

/// <summary>
/// The calls the Connector made to a source's API while it handled one command of run <paramref name="RunId"/>, in the
/// order made. <paramref name="Source"/> is <c>shopify</c>, <c>meta</c>, <c>google_ads</c>, <c>ga4</c> or
/// <c>google_oauth</c>. Published whatever the command's outcome, so throttled and failed calls are counted too.
/// </summary>
public record ApiCallsRecorded(
    Guid RunId,
    string ShopDomain,
    IReadOnlyList<ApiCallOutcome> Calls);

/// <summary>
/// One call: when it was made, the endpoint (the operation, never its URL's secrets), the HTTP status (null when no
/// answer came), how long it took, the records the answer held, whether the source throttled it, the error code it
/// gave, and the share of the rate-limit budget the answer reported as used (0 to 100; null when it reported none).
/// </summary>
public record ApiCallOutcome(
    string Source,
    string Endpoint,
    DateTimeOffset At,
    int? HttpStatus,
    long DurationMs,
    long Records,
    bool Throttled,
    string? ErrorCode,
    decimal? UsagePercent);
