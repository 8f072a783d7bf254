using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.SyncRuns;
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
public sealed partial class BulkSyncStateMachine : RunStateMachine<BulkSyncState>
{
    /// <summary>How long a run waits for the answer to a command before it sends it again.</summary>
    private readonly TimeSpan _commandResendInterval;

    public BulkSyncStateMachine(IOptions<BulkSyncOptions> options, TimeProvider clock, Jitter jitter, ILogger<BulkSyncStateMachine> logger)
        : base(options.Value, clock, jitter)
    {
        var settings = options.Value;
        _commandResendInterval = settings.CommandResendInterval;

        CorrelateEvents();

        var entities = settings.EntitiesToSync;
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
                .Then(context => context.Saga.BeginReplay(context.Message))
                .EnterStep(Steps.Initiated, clock)
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => BulkSyncCommands.Upsert(context.Saga, settings))
                .WaitFor(settings.CommandResendInterval, clock)
                .TransitionTo(Upserting),
            When(BackfillRequested)
                .Then(context => context.Saga.BeginBackfill(context.Message))
                .EnterStep(Steps.Initiated, clock)
                .Publish(context => BulkSyncCommands.StartExtraction(context.Saga))
                .WaitFor(settings.CommandResendInterval, clock)
                .EnterStep(Steps.Requested, clock)
                .TransitionTo(Requested));

        // Every command a run sends is followed by a wait: an answer ends it; if none comes (the command or its answer
        // lost), the wake-up sends the command again (TimeToSendAgain). A retry's backoff is such a wait too, and so is
        // the poll interval (TimeToPoll).
        During(Requested,
            TimeToSendAgain
                .Publish(context => BulkSyncCommands.StartExtraction(context.Saga))
                .WaitFor(settings.CommandResendInterval, clock),
            When(OperationStarted, context => context.Message.Entity == context.Saga.Entity)
                .Then(context => context.Saga.BulkOperationId = context.Message.BulkOperationId)
                .EnterStep(Steps.Polling, clock)
                .WaitFor(settings.FirstPollDelay, clock)
                .TransitionTo(Polling));

        // Shopify's finish webhook, when it comes, polls at once; the wake-ups of waits that grow poll in case it is late or never comes.
        During(Polling,
            TimeToPoll.PollOperation(settings, clock),
            When(FinishNotified, context => context.Message.BulkOperationId == context.Saga.BulkOperationId)
                .Then(context => context.Saga.PollsOnNotice++)
                .PollOperation(settings, clock),
            When(OperationStillRunning, context => IsCurrent(context) && context.Saga.PollAttempts >= settings.MaxPollAttempts)
                .EndEntity(EntityStatus.Failed, _ => Steps.Polling,
                    context => $"Bulk operation {context.Saga.BulkOperationId} still {context.Message.Status} after {context.Saga.PollAttempts} polls.")
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail),
            When(OperationStillRunning, context => IsCurrent(context) && context.Saga.PollAttempts < settings.MaxPollAttempts)
                .Then(context => context.Saga.ObjectCount = context.Message.ObjectCount)
                .WaitFor(context => settings.PollGapAfter(context.Saga.PollAttempts), clock),
            When(OperationCompleted, context => context.Message.BulkOperationId == context.Saga.BulkOperationId)
                .Then(context =>
                {
                    context.Saga.ObjectCount = context.Message.ObjectCount;
                    context.Saga.ResumeAt = null;
                    context.Saga.EntityPartial = context.Message.Partial;
                    context.Saga.EntityPartialReason = context.Message.Partial
                        ? $"Shopify's operation failed ({context.Message.ErrorCode}); partial data only"
                        : null;
                })
                .EnterStep(Steps.Downloading, clock)
                .Publish(context => new ArchiveBulkOperationResult(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Message.BulkOperationId))
                .WaitFor(settings.CommandResendInterval, clock)
                .TransitionTo(Downloading));

        During(Downloading,
            TimeToSendAgain
                .Publish(context => new ArchiveBulkOperationResult(
                    context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Saga.BulkOperationId!))
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

        // The entity is loaded: the next one is extracted, or, when none is left, the marts of the dates the run touched
        // are refreshed. Heard nothing back for a while: the command, or its answer, may have been lost; the Transform
        // answers a repeat.
        During(Upserting,
            TimeToSendAgain
                .Publish(context => BulkSyncCommands.Upsert(context.Saga, settings))
                .WaitFor(settings.CommandResendInterval, clock),
            When(RecordsUpserted, context => context.Message.ArchiveKey == context.Saga.ArchiveKey)
                .Then(context => context.Saga.Upserted(context.Message))
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMarts));

        During(Transforming,
            TimeToSendAgain
                .Publish(context => BulkSyncCommands.Refresh(context.Saga, clock))
                .WaitFor(settings.CommandResendInterval, clock),
            When(MartsRefreshed)
                .Then(context => context.Saga.ResumeAt = null)
                .Activity(x => x.OfType<AdvanceWatermarkActivity>())
                .Activity(x => x.OfType<RequestHistoryActivity>())
                .Activity(x => x.OfType<RequestGapBackfillActivity>())
                .IfElse(context => context.Saga.IsPartial,
                    partial => partial.EnterStep(Steps.Partial, clock)
                        .PublishEvent(context => Completion(context.Saga), _ => "completed")
                        .TransitionTo(Partial),
                    whole => whole.EnterStep(Steps.Completed, clock)
                        .PublishEvent(context => Completion(context.Saga), _ => "completed")
                        .TransitionTo(Completed)));

        // A missing scope skips that entity; any other failure of an entity's extraction or load fails that entity. Either
        // way the run goes on with the others, and fails only if it ends with nothing loaded. A transient failure waits
        // (durably) for its backoff, and the state's TimeToSendAgain tries again, within the entity's retry budget.
        During(Requested, Polling, Downloading,
            When(ExtractionFailed, context => IsDenied(context) && IsCurrent(context))
                .EndEntity(EntityStatus.Skipped, CurrentStep, context => $"{context.Message.ErrorCode}: {context.Message.Reason}")
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail),
            When(ExtractionFailed, context => IsCurrent(context) && !IsDenied(context))
                .EndEntity(EntityStatus.Failed, CurrentStep, context => $"{context.Message.ErrorCode}: {context.Message.Reason}")
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail),
            When(ExtractionDeferred, context => IsCurrent(context) && WithinRetryBudget(context))
                .WaitFor(context => RetryDelay(context, Jitter.Next()), clock)
                .Then(context =>
                {
                    context.Saga.RetryAttempts++;
                    context.Saga.LastRetryReason = $"{context.Message.ErrorCode}: {context.Message.Reason}";
                }),
            When(ExtractionDeferred, context => IsCurrent(context) && !WithinRetryBudget(context))
                .EndEntity(EntityStatus.Failed, CurrentStep, context => BudgetSpent(context.Saga, $"{context.Message.ErrorCode}: {context.Message.Reason}"))
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail));

        // A repeated command's late failure (a resent upsert reaching the same bad line) must not end a later step.
        During(Upserting,
            When(TransformFailed, context => context.Message.Step == Steps.Upserting && context.Message.ArchiveKey == context.Saga.ArchiveKey)
                .EndEntity(EntityStatus.Failed, context => context.Message.Step, context => context.Message.Reason)
                .IfElse(HasEntityPending, ExtractNextEntity, RefreshMartsOrFail));

        During(Transforming,
            When(TransformFailed, context => context.Message.Step == Steps.Transforming)
                .Fail(context => context.Message.Step, context => context.Message.Reason, clock)
                .TransitionTo(Failed));

        // A consumer that threw until its retries ran out. The infrastructure away for a while (TransientFaults: the
        // database restarting, the store down): the run waits durably with backoff and the step's wake-up sends the
        // command again, within the retry budget. Anything else, or the budget spent: that entity (or, while
        // transforming, the run) fails with the error rather than waiting forever.
        During(Requested, OnEntityFault(StartFaulted, context => context.Message.Message.Entity == context.Saga.Entity, Steps.Requested));
        During(Polling, OnEntityFault(PollFaulted, context => context.Message.Message.BulkOperationId == context.Saga.BulkOperationId, Steps.Polling));
        During(Downloading,
            OnEntityFault(ArchiveFaulted, context => context.Message.Message.BulkOperationId == context.Saga.BulkOperationId, Steps.Downloading));
        During(Upserting, OnEntityFault(UpsertFaulted, context => context.Message.Message.ArchiveKey == context.Saga.ArchiveKey, Steps.Upserting));
        During(Transforming,
            WaitAfterFault(When(RefreshFaulted, RetriesFault)),
            When(RefreshFaulted, context => !RetriesFault(context)).Fail(_ => Steps.Transforming, FaultReason, clock).TransitionTo(Failed));

        // At-least-once delivery: each answer with the steps that expect it; a later step drops it as late. A request is
        // delivered again, or sent again by a client with the same run id. A command resent for want of an answer may be
        // answered twice; the entity's steps repeat for the next entity, so an earlier entity's answers arrive late in any
        // of them; a run that ended still hears the late answers, faults and wake-ups of its last steps.
        IgnoreLateAnswers(
            order: [Requested, Polling, Downloading, Upserting, Transforming],
            loop: [Requested, Polling, Downloading, Upserting],
            ended: [Completed, Partial, Failed],
            requests: [SyncRequested, ReplayRequested, BackfillRequested],
            (WaitElapsed, [Requested, Polling, Downloading, Upserting, Transforming]),
            (OperationStarted, [Requested]), (StartFaulted, [Requested]),
            (OperationStillRunning, [Polling]), (OperationCompleted, [Polling]), (PollFaulted, [Polling]), (FinishNotified, [Polling]),
            (ExtractionFailed, [Requested, Polling, Downloading]), (ExtractionDeferred, [Requested, Polling, Downloading]),
            (ResultArchived, [Downloading]), (ArchiveFaulted, [Downloading]),
            (RecordsUpserted, [Upserting]), (UpsertFaulted, [Upserting]), (TransformFailed, [Upserting, Transforming]),
            (MartsRefreshed, [Transforming]), (RefreshFaulted, [Transforming]));

        LogUnexpected(logger, "Run");
    }
}
