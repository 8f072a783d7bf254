using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>One sync run of one shop. Persisted in <c>ingest.bulk_sync_state</c>; the run id is the correlation id.</summary>
public class BulkSyncState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";

    public string ShopDomain { get; set; } = "";
    public string JobType { get; set; } = JobTypes.DailySync;
    public string Initiator { get; set; } = "";
    public string Entity { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? UpdatedSince { get; set; }

    /// <summary>A backfill reads the orders created in [BackfillFrom, BackfillBefore), whatever the watermark.</summary>
    public DateTimeOffset? BackfillFrom { get; set; }
    public DateTimeOffset? BackfillBefore { get; set; }

    public string? BulkOperationId { get; set; }
    public int PollAttempts { get; set; }
    public long ObjectCount { get; set; }

    /// <summary>Where the completed operation's JSONL can be downloaded (kept so a failed download can be retried).</summary>
    public string? ResultUrl { get; set; }

    /// <summary>Shopify's operation failed part-way and only its partial data is loaded: the run ends partial.</summary>
    public bool IsPartial { get; set; }

    public string? ArchiveKey { get; set; }
    public long ArchivedBytes { get; set; }
    public long ArchivedLines { get; set; }

    public long OrdersUpserted { get; set; }
    public long LineItemsUpserted { get; set; }
    public long RowsRejected { get; set; }
    public DateTimeOffset? MaxUpdatedAt { get; set; }
    public DateOnly? FirstOrderDate { get; set; }
    public DateOnly? LastOrderDate { get; set; }

    /// <summary>Retries since the run last made progress; drives the backoff.</summary>
    public int RetryAttempts { get; set; }
    public string? LastRetryReason { get; set; }

    public string? FailedStep { get; set; }
    public string? Error { get; set; }

    /// <summary>When the run's current durable wait ends (null: not waiting). See <c>DueWaitDispatcher</c>.</summary>
    public DateTimeOffset? ResumeAt { get; set; }

    /// <summary>Identifies the current wait, so a late or repeated wake-up of an earlier wait is ignored.</summary>
    public int WaitToken { get; set; }

    public List<StepTiming> Steps { get; set; } = [];

    /// <summary>PostgreSQL's xmin: optimistic concurrency between replicas and redeliveries.</summary>
    public uint Version { get; set; }

    public void Begin(string jobType, string shopDomain, string initiator, DateTimeOffset requestedAt, string entity)
    {
        JobType = jobType;
        ShopDomain = shopDomain;
        Initiator = initiator;
        RequestedAt = requestedAt.ToUniversalTime();
        Entity = entity;
    }

    public void EnterStep(string step, DateTimeOffset at)
    {
        if (Steps.Count > 0 && Steps[^1].EndedAt is null) Steps[^1] = Steps[^1] with { EndedAt = at };
        Steps.Add(new StepTiming(step, at, null));
        RetryAttempts = 0;
    }
}

public sealed record StepTiming(string Step, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

public static class JobTypes
{
    public const string DailySync = "DAILY_SYNC";
    public const string Replay = "REPLAY";
    public const string FullBackfill = "FULL_BACKFILL_EXECUTE";
}

public static class Steps
{
    public const string Initiated = "initiated";
    public const string Requested = "requested";
    public const string Polling = "polling";
    public const string Downloading = "downloading";
    public const string Upserting = "upserting";
    public const string Transforming = "transforming";
    public const string Completed = "completed";
    public const string Partial = "partial";
    public const string Failed = "failed";
}
