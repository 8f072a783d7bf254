using GrowthOs.Contracts.Telemetry;

namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>The run's steps (named in the contracts, <see cref="SyncSteps"/>), and which are taken once per entity.</summary>
public static class Steps
{
    public const string Initiated = SyncSteps.Initiated;
    public const string Requested = SyncSteps.Requested;
    public const string Polling = SyncSteps.Polling;
    public const string Downloading = SyncSteps.Downloading;
    public const string Upserting = SyncSteps.Upserting;
    public const string Fetching = SyncSteps.Fetching;
    public const string Archiving = SyncSteps.Archiving;
    public const string Transforming = SyncSteps.Transforming;
    public const string Completed = SyncSteps.Completed;
    public const string Partial = SyncSteps.Partial;
    public const string Failed = SyncSteps.Failed;

    /// <summary>Steps taken once per entity of the run.</summary>
    public static readonly IReadOnlySet<string> OfEntity = new HashSet<string> { Requested, Polling, Downloading, Upserting };
}
