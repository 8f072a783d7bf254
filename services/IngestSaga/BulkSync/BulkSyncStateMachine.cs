using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// A sync run: initiated → (requested → polling → downloading → upserting, once per entity) → transforming →
/// completed, or failed, or partial (an entity was skipped for a missing scope, failed, or Shopify's operation failed
/// part-way and only its partial data was loaded; that entity's watermark stays). An entity that fails does not undo
/// the others: the run goes on, refreshes the marts of what it loaded and advances those entities' watermarks; it
/// fails only when it loaded nothing at all. Entities are extracted one after the other,
/// so a run never holds more than one of the shop's concurrent bulk queries. Waits between polls are durable
/// (<see cref="BulkSyncState.ResumeAt"/>), so a restart loses neither a wait nor a run.
/// </summary>
public sealed class BulkSyncStateMachine : MassTransitStateMachine<BulkSyncState>
{
    public BulkSyncStateMachine(IOptions<BulkSyncOptions> options, TimeProvider clock, Jitter jitter)
    {
        Jitter = jitter;
        var settings = options.Value;
        CommandResendInterval = settings.CommandResendInterval;
        InstanceState(x => x.CurrentState);

        Event(() => SyncRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => ReplayRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => BackfillRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => OperationStarted, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        var entities = settings.EntitiesToSync;
        Event(() => WaitElapsed, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => OperationStillRunning, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => OperationCompleted, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ResultArchived, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ExtractionFailed, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RecordsUpserted, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => MartsRefreshed, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => TransformFailed, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ExtractionDeferred, e => { e.CorrelateById(x => x.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => StartFaulted, e => { e.CorrelateById(x => x.Message.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => PollFaulted, e => { e.CorrelateById(x => x.Message.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ArchiveFaulted, e => { e.CorrelateById(x => x.Message.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => UpsertFaulted, e => { e.CorrelateById(x => x.Message.Message.RunId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RefreshFaulted, e => { e.CorrelateById(x => x.Message.Message.RunId); e.OnMissingInstance(m => m.Discard()); });

        Initially(
            When(SyncRequested)
                .Then(context => context.Saga.Begin(JobTypes.DailySync, context.Message.ShopDomain, context.Message.Initiator,
                    context.Message.RequestedAt, context.Message.Entities is { Count: > 0 } requested ? requested : entities))
                .EnterStep(Steps.Initiated, clock)
                .Activity(x => x.OfType<StartExtractionActivity<SyncRequested>>())
                .WaitFor(settings.CommandResendInterval, clock)
                .EnterStep(Steps.Requested, clock)
                .TransitionTo(Requested),
            When(ReplayRequested)
                .Then(context =>
                {
                    context.Saga.Begin(JobTypes.Replay, context.Message.ShopDomain, "user", context.Message.RequestedAt, [context.Message.Entity]);
                    context.Saga.ArchiveKey = context.Message.ArchiveKey;
                })
                .EnterStep(Steps.Initiated, clock)
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => BulkSyncCommands.Upsert(context.Saga, settings))
                .WaitFor(settings.CommandResendInterval, clock)
                .TransitionTo(Upserting),
            When(BackfillRequested)
                .Then(context =>
                {
                    var message = context.Message;
                    context.Saga.Begin(JobTypes.FullBackfill, message.ShopDomain, "user", message.RequestedAt, [Entities.Orders]);
                    context.Saga.BackfillFrom = new DateTimeOffset(message.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                    context.Saga.BackfillBefore = new DateTimeOffset(message.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                })
                .EnterStep(Steps.Initiated, clock)
                .Publish(context => BulkSyncCommands.StartExtraction(context.Saga))
                .WaitFor(settings.CommandResendInterval, clock)
                .EnterStep(Steps.Requested, clock)
                .TransitionTo(Requested));

        // Every command a run sends is followed by a wait: an answer ends it; if none comes (the command or its answer
        // lost), the wake-up sends the command again. A retry's backoff and the poll interval are such waits too.
        During(Requested,
            When(WaitElapsed, IsDue)
                .Publish(context => BulkSyncCommands.StartExtraction(context.Saga))
                .WaitFor(settings.CommandResendInterval, clock),
            When(OperationStarted, context => context.Message.Entity == context.Saga.Entity)
                .Then(context => context.Saga.BulkOperationId = context.Message.BulkOperationId)
                .EnterStep(Steps.Polling, clock)
                .WaitFor(settings.PollInterval, clock)
                .TransitionTo(Polling));

        During(Polling,
            When(WaitElapsed, IsDue)
                .Then(context =>
                {
                    context.Saga.ResumeAt = null;
                    context.Saga.PollAttempts++;
                })
                .Publish(context => new PollBulkOperation(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Saga.BulkOperationId!, context.Saga.PollAttempts))
                .WaitFor(settings.CommandResendInterval, clock),
            When(OperationStillRunning, context => IsCurrent(context) && context.Saga.PollAttempts >= settings.MaxPollAttempts)
                .EndEntity(EntityStatus.Failed, _ => Steps.Polling,
                    context => $"Bulk operation {context.Saga.BulkOperationId} still {context.Message.Status} after {context.Saga.PollAttempts} polls.", clock, this),
            When(OperationStillRunning, context => IsCurrent(context) && context.Saga.PollAttempts < settings.MaxPollAttempts)
                .Then(context => context.Saga.ObjectCount = context.Message.ObjectCount)
                .WaitFor(settings.PollInterval, clock),
            When(OperationCompleted, context => context.Message.BulkOperationId == context.Saga.BulkOperationId)
                .Then(context =>
                {
                    context.Saga.ObjectCount = context.Message.ObjectCount;
                    context.Saga.ResultUrl = context.Message.Url;
                    context.Saga.ResumeAt = null;
                    context.Saga.EntityPartial = context.Message.Partial;
                    context.Saga.EntityPartialReason = context.Message.Partial ? $"Shopify's operation failed ({context.Message.ErrorCode}); partial data only" : null;
                })
                .EnterStep(Steps.Downloading, clock)
                .Publish(context => new ArchiveBulkOperationResult(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Message.BulkOperationId, context.Message.Url))
                .WaitFor(settings.CommandResendInterval, clock)
                .TransitionTo(Downloading));

        During(Downloading,
            When(WaitElapsed, IsDue)
                .Publish(context => new ArchiveBulkOperationResult(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Saga.BulkOperationId!, context.Saga.ResultUrl))
                .WaitFor(settings.CommandResendInterval, clock),
            When(ResultArchived, context => context.Message.Entity == context.Saga.Entity)
                .Then(context =>
                {
                    context.Saga.ArchiveKey = context.Message.ArchiveKey;
                    context.Saga.ArchivedBytes = context.Message.Bytes;
                    context.Saga.ArchivedLines = context.Message.Lines;
                })
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => BulkSyncCommands.Upsert(context.Saga, settings))
                .WaitFor(settings.CommandResendInterval, clock)
                .TransitionTo(Upserting));

        // Heard nothing back for a while: the command, or its answer, may have been lost; the Transform answers a repeat.
        During(Upserting,
            When(WaitElapsed, IsDue)
                .Publish(context => BulkSyncCommands.Upsert(context.Saga, settings))
                .WaitFor(settings.CommandResendInterval, clock));
        During(Transforming,
            When(WaitElapsed, IsDue)
                .Publish(context => BulkSyncCommands.Refresh(context.Saga, clock))
                .WaitFor(settings.CommandResendInterval, clock));

        During(Upserting,
            When(RecordsUpserted, context => context.Message.ArchiveKey == context.Saga.ArchiveKey)
                .Then(context =>
                {
                    var message = context.Message;
                    var saga = context.Saga;
                    saga.ResumeAt = null;
                    var records = message.Records;
                    saga.RecordsUpserted += records;
                    saga.OrdersUpserted += message.Orders;
                    saga.LineItemsUpserted += message.LineItems;
                    saga.RowsRejected += message.Rejected;
                    if (saga.Entity == Entities.Orders)
                    {
                        saga.MaxUpdatedAt = message.MaxUpdatedAt;
                        saga.FirstOrderDate = message.FirstOrderDate;
                        saga.LastOrderDate = message.LastOrderDate;
                    }
                    saga.FinishEntity(saga.EntityPartial ? EntityStatus.Partial : EntityStatus.Loaded, records, message.MaxUpdatedAt,
                        saga.EntityPartial ? saga.EntityPartialReason : null);
                })
                .ContinueWithNextEntity(clock, Requested, Transforming, settings.CommandResendInterval));

        During(Transforming,
            When(MartsRefreshed, context => context.Saga.IsPartial)
                .Then(context => context.Saga.ResumeAt = null)
                .Activity(x => x.OfType<AdvanceWatermarkActivity>())
                .EnterStep(Steps.Partial, clock)
                .Publish(context => new SyncCompleted(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.OrdersUpserted, context.Saga.LineItemsUpserted,
                    OrdersLoadedWhole(context.Saga) ? context.Saga.MaxUpdatedAt : null, clock.GetUtcNow(), Partial: true))
                .TransitionTo(Partial),
            When(MartsRefreshed, context => !context.Saga.IsPartial)
                .Then(context => context.Saga.ResumeAt = null)
                .Activity(x => x.OfType<AdvanceWatermarkActivity>())
                .EnterStep(Steps.Completed, clock)
                .Publish(context => new SyncCompleted(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.OrdersUpserted, context.Saga.LineItemsUpserted,
                    context.Saga.MaxUpdatedAt, clock.GetUtcNow()))
                .TransitionTo(Completed));

        // A missing scope skips that entity; any other failure of an entity's extraction or load fails that entity. Either
        // way the run goes on with the others, and fails only if it ends with nothing loaded.
        During(Requested, Polling, Downloading,
            When(ExtractionFailed, context => IsDenied(context) && IsCurrent(context))
                .EndEntity(EntityStatus.Skipped, CurrentStep, context => $"{context.Message.ErrorCode}: {context.Message.Reason}", clock, this),
            When(ExtractionFailed, context => IsCurrent(context) && !IsDenied(context))
                .EndEntity(EntityStatus.Failed, CurrentStep, context => $"{context.Message.ErrorCode}: {context.Message.Reason}", clock, this),
            When(ExtractionDeferred, IsCurrent)
                .RetryLater(context => context.Message.ErrorCode, context => context.Message.Reason, settings, clock, this));

        // A repeated command's late failure (a resent upsert reaching the same bad line) must not end a later step.
        During(Upserting,
            When(TransformFailed, context => context.Message.Step == Steps.Upserting && context.Message.ArchiveKey == context.Saga.ArchiveKey)
                .EndEntity(EntityStatus.Failed, context => context.Message.Step, context => context.Message.Reason, clock, this));

        During(Transforming,
            When(TransformFailed, context => context.Message.Step == Steps.Transforming)
                .Fail(context => context.Message.Step, context => context.Message.Reason, clock)
                .TransitionTo(Failed));

        // A consumer that threw until its retries ran out: that entity (or, while transforming, the run) fails with the
        // error rather than waiting forever.
        During(Requested, When(StartFaulted, context => context.Message.Message.Entity == context.Saga.Entity)
            .EndEntity(EntityStatus.Failed, _ => Steps.Requested, BulkSyncBehaviors.FaultReason, clock, this));
        During(Polling, When(PollFaulted, context => context.Message.Message.BulkOperationId == context.Saga.BulkOperationId)
            .EndEntity(EntityStatus.Failed, _ => Steps.Polling, BulkSyncBehaviors.FaultReason, clock, this));
        During(Downloading, When(ArchiveFaulted, context => context.Message.Message.BulkOperationId == context.Saga.BulkOperationId)
            .EndEntity(EntityStatus.Failed, _ => Steps.Downloading, BulkSyncBehaviors.FaultReason, clock, this));
        During(Upserting, When(UpsertFaulted, context => context.Message.Message.ArchiveKey == context.Saga.ArchiveKey)
            .EndEntity(EntityStatus.Failed, _ => Steps.Upserting, BulkSyncBehaviors.FaultReason, clock, this));
        During(Transforming, When(RefreshFaulted).FailWithFault(Steps.Transforming, clock).TransitionTo(Failed));

        // At-least-once delivery: a repeated request, a late poll answer or a stale wake-up after the run moved on is expected.
        OnUnhandledEvent(context => context.Ignore());
    }

    /// <summary>The wake-up of the run's current wait; a late or repeated one of an earlier wait is not.</summary>
    private static bool IsDue(BehaviorContext<BulkSyncState, SyncWaitElapsed> context) =>
        context.Saga.ResumeAt != null && context.Message.WaitToken == context.Saga.WaitToken;

    private static string CurrentStep<T>(BehaviorContext<BulkSyncState, T> context) where T : class => context.Saga.CurrentState.ToLowerInvariant();

    private static bool IsCurrent(BehaviorContext<BulkSyncState, BulkOperationStillRunning> context) =>
        context.Message.BulkOperationId == context.Saga.BulkOperationId;

    private bool IsCurrent(BehaviorContext<BulkSyncState, BulkExtractionFailed> context) =>
        IsCurrent(context.Saga, context.Message.Entity, context.Message.BulkOperationId);

    private bool IsCurrent(BehaviorContext<BulkSyncState, BulkExtractionDeferred> context) =>
        IsCurrent(context.Saga, context.Message.Entity, context.Message.BulkOperationId);

    /// <summary>
    /// A message about the step under way: its entity must be the run's current one. A poll's or a download's names its
    /// operation, which must be the run's; a start's names none, and is current only while that start is (Requested), so
    /// a start's late deferral cannot retry a download.
    /// </summary>
    private bool IsCurrent(BulkSyncState saga, string entity, string? bulkOperationId) =>
        entity == saga.Entity && (bulkOperationId is not null ? bulkOperationId == saga.BulkOperationId : saga.CurrentState == Requested.Name);

    private static bool IsDenied(BehaviorContext<BulkSyncState, BulkExtractionFailed> context) => context.Message.ErrorCode == "ACCESS_DENIED";

    private static bool OrdersLoadedWhole(BulkSyncState saga) =>
        saga.EntityOutcomes.Any(o => o.Entity == Entities.Orders && o.Status == EntityStatus.Loaded);

    /// <summary>The random share of each retry's backoff.</summary>
    public Jitter Jitter { get; }

    /// <summary>How long a run waits for the answer to a command before it sends it again.</summary>
    public TimeSpan CommandResendInterval { get; }

    public State Requested { get; private set; } = null!;
    public State Polling { get; private set; } = null!;
    public State Downloading { get; private set; } = null!;
    public State Upserting { get; private set; } = null!;
    public State Transforming { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Partial { get; private set; } = null!;

    public Event<SyncRequested> SyncRequested { get; private set; } = null!;
    public Event<ReplayRequested> ReplayRequested { get; private set; } = null!;
    public Event<BackfillRequested> BackfillRequested { get; private set; } = null!;
    public Event<BulkOperationStarted> OperationStarted { get; private set; } = null!;
    public Event<SyncWaitElapsed> WaitElapsed { get; private set; } = null!;
    public Event<BulkOperationStillRunning> OperationStillRunning { get; private set; } = null!;
    public Event<BulkOperationCompleted> OperationCompleted { get; private set; } = null!;
    public Event<BulkResultArchived> ResultArchived { get; private set; } = null!;
    public Event<BulkExtractionFailed> ExtractionFailed { get; private set; } = null!;
    public Event<ArchivedRecordsUpserted> RecordsUpserted { get; private set; } = null!;
    public Event<MartsRefreshed> MartsRefreshed { get; private set; } = null!;
    public Event<TransformFailed> TransformFailed { get; private set; } = null!;
    public Event<BulkExtractionDeferred> ExtractionDeferred { get; private set; } = null!;
    public Event<Fault<StartBulkExtraction>> StartFaulted { get; private set; } = null!;
    public Event<Fault<PollBulkOperation>> PollFaulted { get; private set; } = null!;
    public Event<Fault<ArchiveBulkOperationResult>> ArchiveFaulted { get; private set; } = null!;
    public Event<Fault<UpsertArchivedRecords>> UpsertFaulted { get; private set; } = null!;
    public Event<Fault<RefreshMarts>> RefreshFaulted { get; private set; } = null!;
}
