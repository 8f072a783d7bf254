using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Telemetry;
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
            var previous = context.Saga.Steps.Count > 0 ? context.Saga.Steps[^1].Step : null;
            context.Saga.EnterStep(step, now);
            var status = step == Steps.Failed ? "failed" : step == Steps.Completed ? "succeeded" : "started";
            return context.Publish(StepChanged(context.Saga, step, status, now, previous));
        });

    /// <summary>Starts a durable wait: the run resumes with a <c>SyncWaitElapsed</c> once <paramref name="delay"/> has passed.</summary>
    public static EventActivityBinder<BulkSyncState, T> WaitFor<T>(this EventActivityBinder<BulkSyncState, T> binder, TimeSpan delay, TimeProvider clock)
        where T : class =>
        binder.Then(context =>
        {
            context.Saga.WaitToken++;
            context.Saga.ResumeAt = clock.GetUtcNow() + delay;
        });

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
            ["orders_upserted"] = saga.OrdersUpserted,
            ["line_items_upserted"] = saga.LineItemsUpserted,
            ["rows_rejected"] = saga.RowsRejected,
            ["previous_step_ms"] = previous is null ? 0 : (long)(at - saga.Steps[^2].StartedAt).TotalMilliseconds,
        },
        saga.Error);
}
