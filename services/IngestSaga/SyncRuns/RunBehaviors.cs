using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.Telemetry;
using MassTransit;

namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>Behaviours every run's machine uses: taking a step, waiting durably, failing.</summary>
public static class RunBehaviors
{
    /// <summary>Closes the current step, opens <paramref name="step"/>, and raises the change as an event (telemetry).</summary>
    public static EventActivityBinder<TRun, T> EnterStep<TRun, T>(this EventActivityBinder<TRun, T> binder, string step, TimeProvider clock)
        where TRun : SyncRunState
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
            return context.RaiseEvent(StepChanged(context.Saga, step, status, now, previous?.Step), $"step|{context.Saga.Steps.Count}");
        });

    /// <summary>Starts a durable wait: the run resumes with a <c>SyncWaitElapsed</c> once <paramref name="delay"/> has passed.</summary>
    public static EventActivityBinder<TRun, T> WaitFor<TRun, T>(this EventActivityBinder<TRun, T> binder, TimeSpan delay, TimeProvider clock)
        where TRun : SyncRunState
        where T : class =>
        binder.WaitFor(_ => delay, clock);

    public static EventActivityBinder<TRun, T> WaitFor<TRun, T>(
        this EventActivityBinder<TRun, T> binder, Func<BehaviorContext<TRun, T>, TimeSpan> delay, TimeProvider clock)
        where TRun : SyncRunState
        where T : class =>
        binder.Then(context =>
        {
            context.Saga.WaitToken++;
            context.Saga.ResumeAt = clock.GetUtcNow() + delay(context);
        });

    /// <summary>The message of the exception a consumer gave up with.</summary>
    public static string FaultReason<TRun, T>(BehaviorContext<TRun, Fault<T>> context)
        where TRun : SyncRunState
        where T : class =>
        context.Message.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "the consumer faulted";

    /// <summary>A command's consumer gave up with an exception: the run fails at <paramref name="step"/> with that exception's message.</summary>
    public static EventActivityBinder<TRun, Fault<T>> FailWithFault<TRun, T>(this EventActivityBinder<TRun, Fault<T>> binder, string step, TimeProvider clock)
        where TRun : SyncRunState
        where T : class =>
        binder.Fail(step, FaultReason, clock);

    /// <summary>Records why and where the run failed, and publishes <see cref="SyncFailed"/>.</summary>
    public static EventActivityBinder<TRun, T> Fail<TRun, T>(
        this EventActivityBinder<TRun, T> binder, string step, Func<BehaviorContext<TRun, T>, string> reason, TimeProvider clock)
        where TRun : SyncRunState
        where T : class =>
        binder.Fail(_ => step, reason, clock);

    public static EventActivityBinder<TRun, T> Fail<TRun, T>(
        this EventActivityBinder<TRun, T> binder,
        Func<BehaviorContext<TRun, T>, string> step,
        Func<BehaviorContext<TRun, T>, string> reason,
        TimeProvider clock)
        where TRun : SyncRunState
        where T : class =>
        binder
            .Then(context =>
            {
                context.Saga.FailedStep = step(context);
                context.Saga.Error = reason(context);
                context.Saga.ResumeAt = null;
            })
            .EnterStep(Steps.Failed, clock)
            .PublishEvent(context => new SyncFailed(
                context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.FailedStep!, context.Saga.Error!, clock.GetUtcNow()),
                saga => $"failed|{saga.Steps.Count}");

    private static SyncStepChanged StepChanged(SyncRunState saga, string step, string status, DateTimeOffset at, string? previous) => new(
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
