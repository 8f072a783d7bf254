using GrowthOs.Contracts.Extraction;
using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>Behaviours of the bulk-sync machine only; taking a step, waiting and failing are every run's (<see cref="RunBehaviors"/>).</summary>
public static class BulkSyncBehaviors
{
    /// <summary>The run's operation is polled now; the poll's answer is awaited as any command's is.</summary>
    public static EventActivityBinder<BulkSyncState, T> PollOperation<T>(this EventActivityBinder<BulkSyncState, T> binder, BulkSyncOptions settings,
        TimeProvider clock)
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
}
