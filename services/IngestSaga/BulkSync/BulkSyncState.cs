using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.SyncRuns;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>One sync run of one shop. Persisted in <c>ingest.bulk_sync_state</c>; the run id is the correlation id.</summary>
public class BulkSyncState : SyncRunState
{
    public BulkSyncState() => JobType = JobTypes.DailySync;

    /// <summary>The entity being extracted now; the run takes its entities one after the other.</summary>
    public string Entity { get; set; } = "";

    /// <summary>Entities still to extract after <see cref="Entity"/>.</summary>
    public List<string> PendingEntities { get; set; } = [];

    /// <summary>What became of each entity done: loaded, partial, skipped or failed.</summary>
    public List<EntityOutcome> EntityOutcomes { get; set; } = [];

    /// <summary>The current entity's operation failed part-way and only its partial data is being loaded.</summary>
    public bool EntityPartial { get; set; }

    /// <summary>Why the current entity's data is partial (kept apart from the retry reason, which a later retry overwrites).</summary>
    public string? EntityPartialReason { get; set; }
    public DateTimeOffset? UpdatedSince { get; set; }

    /// <summary>
    /// Set on a shop's first daily sync of orders: once the run has loaded them whole, the orders created up to this day
    /// (the floor's) are loaded by a backfill run, <see cref="HistoryRunId"/>.
    /// </summary>
    public DateOnly? HistoryBefore { get; set; }

    /// <summary>The backfill run that loads the shop's history, once this run asked for it.</summary>
    public Guid? HistoryRunId { get; set; }

    /// <summary>
    /// On a daily run whose orders watermark was older than the floor: where the changes it did not read begin (the
    /// watermark minus the lookback); once it has loaded its orders whole, backfill run <see cref="GapRunId"/> reads
    /// them. On that backfill run: it reads the orders updated since then.
    /// </summary>
    public DateTimeOffset? GapSince { get; set; }

    /// <summary>The backfill run that reads the gap, once this daily run asked for it.</summary>
    public Guid? GapRunId { get; set; }

    /// <summary>A backfill reads the orders created in [BackfillFrom, BackfillBefore), whatever the watermark.</summary>
    public DateTimeOffset? BackfillFrom { get; set; }
    public DateTimeOffset? BackfillBefore { get; set; }

    public string? BulkOperationId { get; set; }
    public int PollAttempts { get; set; }

    /// <summary>Polls of the operation made because Shopify's finish webhook told of it (a share of <see cref="PollAttempts"/>).</summary>
    public int PollsOnNotice { get; set; }
    public long ObjectCount { get; set; }

    /// <summary>Some entity was loaded from partial data or skipped: the run ends partial.</summary>
    public bool IsPartial { get; set; }

    public string? ArchiveKey { get; set; }
    public long ArchivedBytes { get; set; }
    public long ArchivedLines { get; set; }

    /// <summary>Records of every type upserted by the run.</summary>
    public long RecordsUpserted { get; set; }

    public long OrdersUpserted { get; set; }
    public long LineItemsUpserted { get; set; }
    public long RowsRejected { get; set; }
    public DateTimeOffset? MaxUpdatedAt { get; set; }
    public DateOnly? FirstOrderDate { get; set; }
    public DateOnly? LastOrderDate { get; set; }

    public void Begin(string jobType, string shopDomain, string initiator, DateTimeOffset requestedAt, IReadOnlyList<string> entities)
    {
        BeginRun(jobType, shopDomain, initiator, requestedAt);
        Entity = entities[0];
        PendingEntities = entities.Skip(1).Distinct().Where(e => e != Entity).ToList();
    }

    /// <summary>A replay loads one archived file of one entity.</summary>
    public void BeginReplay(ReplayRequested message)
    {
        Begin(JobTypes.Replay, message.ShopDomain, "user", message.RequestedAt, [message.Entity]);
        ArchiveKey = message.ArchiveKey;
    }

    /// <summary>A backfill reads the orders created in the days asked for; one that fills a gap, only what changed since it began.</summary>
    public void BeginBackfill(BackfillRequested message)
    {
        Begin(JobTypes.FullBackfill, message.ShopDomain, "user", message.RequestedAt, [Entities.Orders]);
        BackfillFrom = new DateTimeOffset(message.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        BackfillBefore = new DateTimeOffset(message.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        GapSince = UpdatedSince = message.UpdatedSince;
    }

    public override void EnterStep(string step, DateTimeOffset at)
    {
        if (Steps.Count > 0 && Steps[^1].EndedAt is null) Steps[^1] = Steps[^1] with { EndedAt = at };
        Steps.Add(new StepTiming(step, at, null, SyncRuns.Steps.OfEntity.Contains(step) ? Entity : null));
        RetryAttempts = 0;
    }

    /// <summary>
    /// Records what became of the current entity (<paramref name="step"/>: where one that was not loaded ended); the run
    /// ends partial unless every entity was loaded whole.
    /// </summary>
    public void FinishEntity(string status, long records, DateTimeOffset? maxUpdatedAt, string? error, string? step = null)
    {
        EntityOutcomes.Add(new EntityOutcome(Entity, status, ArchiveKey, ArchivedLines, records, maxUpdatedAt, error, step));
        if (status != EntityStatus.Loaded) IsPartial = true;
    }

    /// <summary>
    /// Where the current entity's retry budget starts: the run's request for its first entity, the entity's own
    /// <c>requested</c> step for a later one, so an entity that used up its budget leaves the next one a whole budget.
    /// </summary>
    public DateTimeOffset RetryBudgetFrom
    {
        get
        {
            var first = Steps.FirstOrDefault(s => s.Step == SyncRuns.Steps.Requested);
            var own = Steps.FirstOrDefault(s => s.Step == SyncRuns.Steps.Requested && s.Entity == Entity);
            return own is not null && first is not null && own.Entity != first.Entity ? own.StartedAt : RequestedAt;
        }
    }

    public override Dictionary<string, long> Counts() => new()
    {
        ["poll_attempts"] = PollAttempts,
        ["polls_on_notice"] = PollsOnNotice,
        ["objects"] = ObjectCount,
        ["archived_lines"] = ArchivedLines,
        ["archived_bytes"] = ArchivedBytes,
        ["records_upserted"] = RecordsUpserted,
        ["orders_upserted"] = OrdersUpserted,
        ["line_items_upserted"] = LineItemsUpserted,
        ["rows_rejected"] = RowsRejected,
        ["retry_attempts"] = RetryAttempts,
    };

    /// <summary>The run loaded its orders whole: what it fetched of them is complete up to its watermark.</summary>
    public bool OrdersLoadedWhole => EntityOutcomes.Any(o => o.Entity == Entities.Orders && o.Status == EntityStatus.Loaded);

    /// <summary>Some entity of the run has data loaded (whole or partial): the run has marts to refresh.</summary>
    public bool HasLoadedEntity => EntityOutcomes.Any(o => o.Status is EntityStatus.Loaded or EntityStatus.Partial);

    /// <summary>The current entity's records are loaded: its counts are added, and it is done (loaded whole, or partial).</summary>
    public void Upserted(ArchivedRecordsUpserted message)
    {
        ResumeAt = null;
        RecordsUpserted += message.Records;
        OrdersUpserted += message.Orders;
        LineItemsUpserted += message.LineItems;
        RowsRejected += message.Rejected;
        if (Entity == Entities.Orders) (MaxUpdatedAt, FirstOrderDate, LastOrderDate) = (message.MaxUpdatedAt, message.FirstOrderDate, message.LastOrderDate);
        FinishEntity(EntityPartial ? EntityStatus.Partial : EntityStatus.Loaded, message.Records, message.MaxUpdatedAt,
            EntityPartial ? EntityPartialReason : null);
    }

    /// <summary>Moves on to the next pending entity, forgetting the previous one's operation.</summary>
    public void NextEntity()
    {
        Entity = PendingEntities[0];
        PendingEntities = PendingEntities.Skip(1).ToList();
        (BulkOperationId, PollAttempts, PollsOnNotice, ObjectCount, EntityPartial, EntityPartialReason) = (null, 0, 0, 0, false, null);
        // A wait of the previous entity (a poll, a retry) must not wake the next one's extraction a second time.
        ResumeAt = null;
        (ArchiveKey, ArchivedBytes, ArchivedLines, UpdatedSince) = (null, 0, 0, null);
    }
}
