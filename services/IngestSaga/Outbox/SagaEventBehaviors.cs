using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.Outbox;

public static class SagaEventBehaviors
{
    /// <summary>
    /// Raises <paramref name="message"/> as the run's event named <paramref name="name"/> (its id is derived from the run
    /// and the name, so the same event raised again is the same message).
    /// </summary>
    public static Task RaiseEvent<TRun, T>(this BehaviorContext<TRun> context, T message, string name)
        where TRun : SyncRunState
        where T : class
    {
        var eventId = RunIds.OfEvent(context.Saga.CorrelationId, name);
        var events = context.TryGetPayload<IServiceProvider>(out var provider) ? provider.GetService<ISagaEvents>() : null;
        return events is null
            ? context.Publish(message, publish => publish.MessageId = eventId)
            : events.Raise(context.Saga, message, eventId);
    }

    public static EventActivityBinder<TRun, TMessage> PublishEvent<TRun, TMessage, T>(
        this EventActivityBinder<TRun, TMessage> binder, Func<BehaviorContext<TRun, TMessage>, T> message, Func<TRun, string> name)
        where TRun : SyncRunState
        where TMessage : class
        where T : class =>
        binder.ThenAsync(context => context.RaiseEvent(message(context), name(context.Saga)));
}
