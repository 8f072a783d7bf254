using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>The machine's states, events and the conditions its transitions name.</summary>
public sealed partial class BulkSyncStateMachine
{
    /// <summary>
    /// Every message names its run by its RunId (a fault, by the RunId of the command that faulted). A request starts the
    /// run; an answer, a wake-up or a fault for a run that does not exist is dropped.
    /// </summary>
    private void CorrelateEvents()
    {
        Event(() => SyncRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => ReplayRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => BackfillRequested, e => e.CorrelateById(x => x.Message.RunId));
        OfRun(() => OperationStarted, m => m.RunId);
        OfRun(() => OperationStillRunning, m => m.RunId);
        OfRun(() => OperationCompleted, m => m.RunId);
        OfRun(() => ResultArchived, m => m.RunId);
        OfRun(() => ExtractionFailed, m => m.RunId);
        OfRun(() => ExtractionDeferred, m => m.RunId);
        OfRun(() => RecordsUpserted, m => m.RunId);
        OfRun(() => MartsRefreshed, m => m.RunId);
        OfRun(() => TransformFailed, m => m.RunId);
        OfRun(() => StartFaulted, m => m.Message.RunId);
        OfRun(() => PollFaulted, m => m.Message.RunId);
        OfRun(() => FinishNotified, m => m.RunId);
        OfRun(() => ArchiveFaulted, m => m.Message.RunId);
        OfRun(() => UpsertFaulted, m => m.Message.RunId);
        OfRun(() => RefreshFaulted, m => m.Message.RunId);
    }

    /// <summary>The wake-up of the poll interval (or of a poll whose answer is overdue): the operation is polled.</summary>
    private EventActivityBinder<BulkSyncState, SyncWaitElapsed> TimeToPoll => When(WaitElapsed, IsDue);

    /// <summary>The next entity of the run: its extraction starts.</summary>
    private EventActivityBinder<BulkSyncState, T> ExtractNextEntity<T>(EventActivityBinder<BulkSyncState, T> binder) where T : class =>
        binder
            .Then(context => context.Saga.NextEntity())
            .EnterStep(Steps.Requested, Clock)
            .Activity(x => x.OfType<StartExtractionActivity<T>>())
            .WaitFor(_commandResendInterval, Clock)
            .TransitionTo(Requested);

    /// <summary>No entity left: the marts of the dates the run touched are refreshed.</summary>
    private EventActivityBinder<BulkSyncState, T> RefreshMarts<T>(EventActivityBinder<BulkSyncState, T> binder) where T : class =>
        binder
            .EnterStep(Steps.Transforming, Clock)
            .Publish(context => BulkSyncCommands.Refresh(context.Saga, Clock))
            .WaitFor(_commandResendInterval, Clock)
            .TransitionTo(Transforming);

    /// <summary>
    /// No entity left after one that was not loaded: the marts of what the run did load are refreshed; a run that loaded
    /// nothing fails, at the step and with the reason its last entity ended with.
    /// </summary>
    private EventActivityBinder<BulkSyncState, T> RefreshMartsOrFail<T>(EventActivityBinder<BulkSyncState, T> binder) where T : class =>
        binder.IfElse(context => context.Saga.HasLoadedEntity,
            RefreshMarts,
            nothing => nothing
                .Fail(context => context.Saga.EntityOutcomes[^1].Step!, context => context.Saga.EntityOutcomes[^1].Error!, Clock)
                .TransitionTo(Failed));

    /// <summary>What a run that ended completed (or partial) tells its subscribers; a partial run's orders watermark only when they loaded whole.</summary>
    private SyncCompleted Completion(BulkSyncState saga) => saga.IsPartial
        ? new SyncCompleted(saga.CorrelationId, saga.ShopDomain, saga.OrdersUpserted, saga.LineItemsUpserted, saga.OrdersLoadedWhole ? saga.MaxUpdatedAt : null,
            Clock.GetUtcNow(), Partial: true, saga.JobType)
        : new SyncCompleted(saga.CorrelationId, saga.ShopDomain, saga.OrdersUpserted, saga.LineItemsUpserted, saga.MaxUpdatedAt,
            Clock.GetUtcNow(), JobType: saga.JobType);

    private static bool HasEntityPending<T>(BehaviorContext<BulkSyncState, T> context) where T : class => context.Saga.PendingEntities.Count > 0;

    /// <summary>A retry's budget runs from the entity's last progress.</summary>
    protected override DateTimeOffset RetryBudgetStart(BulkSyncState run) => run.RetryBudgetFrom;

    private bool WithinRetryBudget(BehaviorContext<BulkSyncState, BulkExtractionDeferred> context) => WithinRetryBudget(context.Saga, RetryDelay(context, 1));

    /// <summary>The backoff (a backfill waits longer for a busy slot), but never shorter than the wait Shopify asked for (<c>Retry-After</c>).</summary>
    private TimeSpan RetryDelay(BehaviorContext<BulkSyncState, BulkExtractionDeferred> context, double jitter) =>
        RetryDelay(context.Saga, context.Message.ErrorCode, context.Message.RetryAfterSeconds, jitter, context.Saga.JobType == JobTypes.FullBackfill);

    /// <summary>
    /// A fault of the current entity's command at <paramref name="step"/>: waited out when the infrastructure's and within
    /// the budget, otherwise the entity fails and the run goes on with the next one.
    /// </summary>
    private EventActivities<BulkSyncState>[] OnEntityFault<T>(Event<Fault<T>> faulted, Func<BehaviorContext<BulkSyncState, Fault<T>>, bool> isCurrent,
        string step)
        where T : class =>
    [
        WaitAfterFault(When(faulted, context => isCurrent(context) && RetriesFault(context))),
        When(faulted, context => isCurrent(context) && !RetriesFault(context))
            .EndEntity(EntityStatus.Failed, _ => step, FaultReason)
            .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail),
    ];

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
    public Event<BulkOperationStillRunning> OperationStillRunning { get; private set; } = null!;
    public Event<BulkOperationFinishNotified> FinishNotified { get; private set; } = null!;
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
