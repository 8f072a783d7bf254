namespace GrowthOs.Contracts.Telemetry;

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
