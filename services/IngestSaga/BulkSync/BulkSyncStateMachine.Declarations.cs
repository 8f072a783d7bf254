using System.Linq.Expressions;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Runs;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>The machine's states, events and the conditions its transitions name.</summary>
public sealed partial class BulkSyncStateMachine
{
    /// <summary>An event of a run that is not its request: correlated by the run id, dropped when the run does not exist.</summary>
    private void OfRun<T>(Expression<Func<Event<T>>> @event, Func<T, Guid> runId) where T : class =>
        Event(@event, e =>
        {
            e.CorrelateById(context => runId(context.Message));
            e.OnMissingInstance(m => m.Discard());
        });

    /// <summary>The wake-up of a wait for an answer, or of a retry's backoff: the step's command is sent again.</summary>
    private EventActivityBinder<BulkSyncState, SyncWaitElapsed> TimeToSendAgain => When(WaitElapsed, IsDue);

    /// <summary>The wake-up of the poll interval (or of a poll whose answer is overdue): the operation is polled.</summary>
    private EventActivityBinder<BulkSyncState, SyncWaitElapsed> TimeToPoll => When(WaitElapsed, IsDue);

    private static bool HasEntityPending<T>(BehaviorContext<BulkSyncState, T> context) where T : class => context.Saga.PendingEntities.Count > 0;

    private bool WithinRetryBudget(BehaviorContext<BulkSyncState, BulkExtractionDeferred> context, BulkSyncOptions settings) =>
        _clock.GetUtcNow() + RetryDelay(context, settings, 1) <= context.Saga.RetryBudgetFrom + settings.RetryBudget;

    /// <summary>Whether a fault is the infrastructure's, and its backoff still ends within the run's retry budget.</summary>
    private bool RetriesFault<T>(BehaviorContext<BulkSyncState, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message) && _clock.GetUtcNow() + FaultDelay(context.Saga, _settings, 1) <= context.Saga.RetryBudgetFrom + _settings.RetryBudget;

    /// <summary>The backoff after an infrastructure fault: base × 2^attempt, capped, with jitter.</summary>
    internal static TimeSpan FaultDelay(BulkSyncState saga, BulkSyncOptions settings, double jitter) =>
        Backoff.Delay(TransientFaults.Code, saga.RetryAttempts, settings, jitter);

    /// <summary>Waits (durably) for the fault's backoff; the step's wake-up then sends its command again.</summary>
    private EventActivityBinder<BulkSyncState, Fault<T>> WaitAfterFault<T>(EventActivityBinder<BulkSyncState, Fault<T>> binder) where T : class =>
        binder
            .WaitFor(context => FaultDelay(context.Saga, _settings, _jitter.Next()), _clock)
            .Then(context =>
            {
                context.Saga.RetryAttempts++;
                context.Saga.LastRetryReason = $"{TransientFaults.Code}: {RunBehaviors.FaultReason(context)}";
            });

    /// <summary>
    /// A fault of the current entity's command at <paramref name="step"/>: waited out when the infrastructure's and within
    /// the budget, otherwise the entity fails and the run goes on with the next one.
    /// </summary>
    private EventActivities<BulkSyncState>[] OnEntityFault<T>(Event<Fault<T>> faulted, Func<BehaviorContext<BulkSyncState, Fault<T>>, bool> isCurrent, string step)
        where T : class =>
    [
        WaitAfterFault(When(faulted, context => isCurrent(context) && RetriesFault(context))),
        When(faulted, context => isCurrent(context) && !RetriesFault(context))
            .EndEntity(EntityStatus.Failed, _ => step, FaultReason)
            .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail),
    ];

    /// <summary>Why a consumer faulted, for the run's record: the budget spent, or the error itself.</summary>
    private string FaultReason<T>(BehaviorContext<BulkSyncState, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message)
            ? $"Retry budget of {_settings.RetryBudgetHours} h exhausted after {context.Saga.RetryAttempts} retries; last error {RunBehaviors.FaultReason(context)}"
            : RunBehaviors.FaultReason(context);

    /// <summary>The backoff, but never shorter than the wait Shopify asked for (<c>Retry-After</c>).</summary>
    private static TimeSpan RetryDelay(BehaviorContext<BulkSyncState, BulkExtractionDeferred> context, BulkSyncOptions settings, double jitter)
    {
        var backoff = Backoff.Delay(context.Message.ErrorCode, context.Saga.RetryAttempts, settings, jitter, context.Saga.JobType == JobTypes.FullBackfill);
        var asked = TimeSpan.FromSeconds(context.Message.RetryAfterSeconds ?? 0);
        return asked > backoff ? asked : backoff;
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
