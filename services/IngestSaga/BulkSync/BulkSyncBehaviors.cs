using GrowthOs.Contracts.Extraction;
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

    /// <summary>The run's operation is polled now; the poll's answer is awaited as any command's is.</summary>
    public static EventActivityBinder<BulkSyncState, T> PollOperation<T>(this EventActivityBinder<BulkSyncState, T> binder, BulkSyncOptions settings, TimeProvider clock)
        where T : class =>
        binder
            .Then(context =>
            {
                context.Saga.ResumeAt = null;
                context.Saga.PollAttempts++;
            })
            .Publish(context => new PollBulkOperation(
                context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Entity, context.Saga.BulkOperationId!, context.Saga.PollAttempts))
            .WaitFor(settings.CommandResendInterval, clock);

    /// <summary>
    /// The current entity ends without a whole load: <paramref name="status"/> is skipped or failed, at the step
    /// <paramref name="step"/> names, with <paramref name="reason"/>. What the run does next is the machine's to say.
    /// </summary>
    public static EventActivityBinder<BulkSyncState, T> EndEntity<T>(
        this EventActivityBinder<BulkSyncState, T> binder,
        string status,
        Func<BehaviorContext<BulkSyncState, T>, string> step,
        Func<BehaviorContext<BulkSyncState, T>, string> reason)
        where T : class =>
        binder.Then(context => context.Saga.FinishEntity(status, 0, null, reason(context), step(context)));

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
        WithPreviousStep(saga.Counts(), previous is null ? 0 : (long)(at - saga.Steps[^2].StartedAt).TotalMilliseconds),
        saga.Error,
        saga.Steps[^1].Entity);

    private static Dictionary<string, long> WithPreviousStep(Dictionary<string, long> counts, long previousStepMs)
    {
        counts["previous_step_ms"] = previousStepMs;
        return counts;
    }
}
