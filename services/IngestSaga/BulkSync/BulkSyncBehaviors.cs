using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.Telemetry;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>Behaviours the state machine uses at several transitions, named for what they mean.</summary>
public static class BulkSyncBehaviors
{
    /// <summary>Closes the current step, opens <paramref name="step"/>, and publishes the change as telemetry.</summary>
    public static EventActivityBinder<BulkSyncState, T> EnterStep<T>(this EventActivityBinder<BulkSyncState, T> binder, string step, TimeProvider clock)
        where T : class =>
        binder.ThenAsync(context =>
        {
            var now = clock.GetUtcNow();
            var previous = context.Saga.Steps.Count > 0 ? context.Saga.Steps[^1] : null;
            context.Saga.EnterStep(step, now);
            SyncMetrics.StepEntered(context.Saga, previous, step, now);
            var status = step switch
            {
                Steps.Failed => StepStatuses.Failed,
                Steps.Completed => StepStatuses.Succeeded,
                Steps.Partial => StepStatuses.Partial,
                _ => StepStatuses.Started,
            };
            return context.Publish(StepChanged(context.Saga, step, status, now, previous?.Step));
        });

    /// <summary>Starts a durable wait: the run resumes with a <c>SyncWaitElapsed</c> once <paramref name="delay"/> has passed.</summary>
    public static EventActivityBinder<BulkSyncState, T> WaitFor<T>(this EventActivityBinder<BulkSyncState, T> binder, TimeSpan delay, TimeProvider clock)
        where T : class =>
        binder.WaitFor(_ => delay, clock);

    public static EventActivityBinder<BulkSyncState, T> WaitFor<T>(
        this EventActivityBinder<BulkSyncState, T> binder, Func<BehaviorContext<BulkSyncState, T>, TimeSpan> delay, TimeProvider clock)
        where T : class =>
        binder.Then(context =>
        {
            context.Saga.WaitToken++;
            context.Saga.ResumeAt = clock.GetUtcNow() + delay(context);
        });

    /// <summary>
    /// After a transient failure: wait (durably) for the backoff, then the state's wake-up handler tries again. When the
    /// run's retry budget would be exceeded, the entity fails instead (see <see cref="EndEntity{T}"/>).
    /// </summary>
    public static EventActivityBinder<BulkSyncState, T> RetryLater<T>(
        this EventActivityBinder<BulkSyncState, T> binder,
        Func<BehaviorContext<BulkSyncState, T>, string> errorCode,
        Func<BehaviorContext<BulkSyncState, T>, string> reason,
        BulkSyncOptions settings,
        TimeProvider clock,
        BulkSyncStateMachine machine)
        where T : class
    {
        return binder.IfElse(
            context => clock.GetUtcNow() + Delay(context, 1) <= context.Saga.RetryBudgetFrom + settings.RetryBudget,
            retry => retry
                .WaitFor(context => Delay(context, machine.Jitter.Next()), clock)
                .Then(context =>
                {
                    context.Saga.RetryAttempts++;
                    context.Saga.LastRetryReason = $"{errorCode(context)}: {reason(context)}";
                }),
            giveUp => giveUp
                .EndEntity(EntityStatus.Failed, context => context.Saga.CurrentState.ToLowerInvariant(),
                    context => $"Retry budget of {settings.RetryBudgetHours} h exhausted after {context.Saga.RetryAttempts} retries; last error {errorCode(context)}: {reason(context)}",
                    clock, machine));

        TimeSpan Delay(BehaviorContext<BulkSyncState, T> context, double jitter) =>
            Backoff.Delay(errorCode(context), context.Saga.RetryAttempts, settings, jitter, context.Saga.JobType == JobTypes.FullBackfill);
    }

    /// <summary>
    /// The current entity is done: extract the next one, or, when none is left, refresh the marts of the dates the run
    /// touched.
    /// </summary>
    public static EventActivityBinder<BulkSyncState, T> ContinueWithNextEntity<T>(
        this EventActivityBinder<BulkSyncState, T> binder, TimeProvider clock, State requested, State transforming, TimeSpan resendAfter)
        where T : class =>
        binder.IfElse(
            context => context.Saga.PendingEntities.Count > 0,
            next => next
                .Then(context => context.Saga.NextEntity())
                .EnterStep(Steps.Requested, clock)
                .Activity(x => x.OfType<StartExtractionActivity<T>>())
                .WaitFor(resendAfter, clock)
                .TransitionTo(requested),
            last => last
                .EnterStep(Steps.Transforming, clock)
                .Publish(context => BulkSyncCommands.Refresh(context.Saga, clock))
                .WaitFor(resendAfter, clock)
                .TransitionTo(transforming));

    /// <summary>
    /// The current entity ends without a whole load: <paramref name="status"/> is skipped or failed, with its reason. The
    /// run goes on with the next entity, or refreshes the marts of what it did load; a run left with nothing loaded and
    /// nothing pending fails at <paramref name="step"/> with that reason.
    /// </summary>
    public static EventActivityBinder<BulkSyncState, T> EndEntity<T>(
        this EventActivityBinder<BulkSyncState, T> binder,
        string status,
        Func<BehaviorContext<BulkSyncState, T>, string> step,
        Func<BehaviorContext<BulkSyncState, T>, string> reason,
        TimeProvider clock,
        BulkSyncStateMachine machine)
        where T : class =>
        binder
            .Then(context => context.Saga.FinishEntity(status, 0, null, $"{step(context)}: {reason(context)}"))
            .IfElse(context => context.Saga.PendingEntities.Count > 0 || context.Saga.HasLoadedEntity,
                goOn => goOn.ContinueWithNextEntity(clock, machine.Requested, machine.Transforming, machine.CommandResendInterval),
                nothing => nothing.Fail(step, reason, clock).TransitionTo(machine.Failed));

    /// <summary>The message of the exception a consumer gave up with.</summary>
    public static string FaultReason<T>(BehaviorContext<BulkSyncState, Fault<T>> context) where T : class =>
        context.Message.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "the consumer faulted";

    /// <summary>A command's consumer gave up with an exception: the run fails at <paramref name="step"/> with that exception's message.</summary>
    public static EventActivityBinder<BulkSyncState, Fault<T>> FailWithFault<T>(this EventActivityBinder<BulkSyncState, Fault<T>> binder, string step, TimeProvider clock)
        where T : class =>
        binder.Fail(step, FaultReason, clock);

    /// <summary>Records why and where the run failed, and publishes <see cref="SyncFailed"/>.</summary>
    public static EventActivityBinder<BulkSyncState, T> Fail<T>(
        this EventActivityBinder<BulkSyncState, T> binder, string step, Func<BehaviorContext<BulkSyncState, T>, string> reason, TimeProvider clock)
        where T : class =>
        binder.Fail(_ => step, reason, clock);

    public static EventActivityBinder<BulkSyncState, T> Fail<T>(
        this EventActivityBinder<BulkSyncState, T> binder,
        Func<BehaviorContext<BulkSyncState, T>, string> step,
        Func<BehaviorContext<BulkSyncState, T>, string> reason,
        TimeProvider clock)
        where T : class =>
        binder
            .Then(context =>
            {
                context.Saga.FailedStep = step(context);
                context.Saga.Error = reason(context);
                context.Saga.ResumeAt = null;
            })
            .EnterStep(Steps.Failed, clock)
            .Publish(context => new SyncFailed(
                context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.FailedStep!, context.Saga.Error!, clock.GetUtcNow()));

    private static SyncStepChanged StepChanged(BulkSyncState saga, string step, string status, DateTimeOffset at, string? previous) => new(
        saga.CorrelationId,
        saga.ShopDomain,
        saga.JobType,
        step,
        status,
        at,
        new Dictionary<string, long>
        {
            ["poll_attempts"] = saga.PollAttempts,
            ["objects"] = saga.ObjectCount,
            ["archived_lines"] = saga.ArchivedLines,
            ["records_upserted"] = saga.RecordsUpserted,
            ["orders_upserted"] = saga.OrdersUpserted,
            ["line_items_upserted"] = saga.LineItemsUpserted,
            ["rows_rejected"] = saga.RowsRejected,
            ["previous_step_ms"] = previous is null ? 0 : (long)(at - saga.Steps[^2].StartedAt).TotalMilliseconds,
        },
        saga.Error,
        saga.Steps[^1].Entity);
}
