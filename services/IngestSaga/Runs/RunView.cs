using System.Text.Json;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.EntityFrameworkCore;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>A run as the API shows it.</summary>
public sealed record RunView(
    Guid RunId,
    string Shop,
    string JobType,
    string Initiator,
    string Status,
    string Entity,
    IReadOnlyList<string> PendingEntities,
    IReadOnlyList<EntityOutcome> Entities,
    DateTimeOffset RequestedAt,
    DateTimeOffset? UpdatedSince,
    string? BulkOperationId,
    string? ArchiveKey,
    DateTimeOffset? BackfillFrom,
    DateTimeOffset? BackfillBefore,
    IReadOnlyDictionary<string, long> Counts,
    DateTimeOffset? MaxUpdatedAt,
    string? FailedStep,
    string? Error,
    string? LastRetryReason,
    string? TraceId,
    IReadOnlyList<RunStepView> Steps)
{
    public static readonly JsonSerializerOptions Json = ApiJson.Options;

    /// <summary>
    /// While the run upserts, and after it failed, how far the load of its current archive has committed (the Transform's
    /// count, updated with every chunk); null otherwise, or when the Transform did not answer. Read for one run only.
    /// </summary>
    public LoadProgress? Load { get; init; }

    /// <summary>A shop's first sync: the backfill run that loads the orders before its floor, once it asked for it.</summary>
    public Guid? HistoryRunId { get; init; }

    /// <summary>
    /// A daily sync whose watermark was older than the floor: where the changes it could not read begin; on the backfill
    /// run that reads them, since when it reads.
    /// </summary>
    public DateTimeOffset? GapSince { get; init; }

    /// <summary>The backfill run that reads the gap, once the daily sync asked for it.</summary>
    public Guid? GapRunId { get; init; }

    /// <summary>The states in which a run's load may be under way or stopped short: its view asks the Transform how far it got.</summary>
    public static bool ShowsLoadProgress(BulkSyncState run) => run.CurrentState is "Upserting" or "Failed";

    public static IReadOnlyList<string> Statuses { get; } =
        ["requested", "polling", "downloading", "fetching", "archiving", "upserting", "transforming", "completed", "partial", "failed"];

    /// <summary>The saga's state name for an API status, or null for an unknown status.</summary>
    public static string? StateOf(string status) =>
        Statuses.Contains(status.ToLowerInvariant()) ? char.ToUpperInvariant(status[0]) + status[1..].ToLowerInvariant() : null;

    public static RunView From(BulkSyncState run) => new(
        run.CorrelationId,
        run.ShopDomain,
        run.JobType,
        run.Initiator,
        run.CurrentState.ToLowerInvariant(),
        run.Entity,
        run.PendingEntities,
        run.EntityOutcomes,
        run.RequestedAt,
        run.UpdatedSince,
        run.BulkOperationId,
        run.ArchiveKey,
        run.BackfillFrom,
        run.BackfillBefore,
        run.Counts(),
        run.MaxUpdatedAt,
        run.FailedStep,
        run.Error,
        run.LastRetryReason,
        run.TraceId,
        run.Steps.Select(RunStepView.From).ToList())
    {
        HistoryRunId = run.HistoryRunId,
        GapSince = run.GapSince,
        GapRunId = run.GapRunId,
    };
}
