using System.Diagnostics;
using System.Text.Json;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.Outbox;

/// <summary>
/// How a run's events leave it. With the PostgreSQL repository they are rows of <c>ingest.saga_event_outbox</c>, added
/// to the same unit of work as the run's saga row, so both are saved in one transaction or not at all;
/// <see cref="SagaEventPublisher"/> publishes them from there. Without it (the in-memory repository of the state
/// machine's unit tests) they are published through the endpoint's in-memory outbox.
/// </summary>
public interface ISagaEvents
{
    Task Raise<T>(SyncRunState run, T message, Guid eventId) where T : class;
}

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

/// <summary>An event waiting in, or published from, <c>ingest.saga_event_outbox</c>.</summary>
public sealed class SagaOutboxEvent
{
    public Guid EventId { get; init; }
    public Guid RunId { get; init; }
    public required string MessageType { get; init; }
    public required string Body { get; init; }
    public string? TraceParent { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
}

/// <summary>The events a run may publish, by the name their rows carry.</summary>
public static class SagaEventTypes
{
    private static readonly Dictionary<string, Type> ByName = new Type[]
    {
        typeof(SyncStepChanged), typeof(SyncCompleted), typeof(SyncFailed), typeof(MarketingSyncCompleted), typeof(SyncGapFound),
        // A run's request for another run (its history, its gap), saved with it so a crash after the save loses none.
        typeof(BackfillRequested),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static string NameOf(Type type) =>
        ByName.TryGetValue(type.Name, out var known) && known == type
            ? type.Name
            : throw new InvalidOperationException($"{type.FullName} is not an event a run publishes; add it to {nameof(SagaEventTypes)}.");

    public static Type? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names of every event this build publishes.</summary>
    public static IEnumerable<string> Names => ByName.Keys;
}

/// <summary>Adds the run's events to the unit of work the PostgreSQL saga repository saves.</summary>
public sealed class PostgresSagaEvents(IngestDbContext db, SagaEventSignal signal, TimeProvider clock) : ISagaEvents
{
    private bool _watching;
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    public Task Raise<T>(SyncRunState run, T message, Guid eventId) where T : class
    {
        // A consume retried on the same unit of work raises its events again: they are already there.
        if (db.SagaEvents.Local.Any(e => e.EventId == eventId)) return Task.CompletedTask;

        // The publisher goes by this time: the events of one unit of work keep the order they were raised in (its rows
        // are inserted in the order of their keys).
        var now = clock.GetUtcNow();
        _last = now > _last ? now : _last.AddTicks(10);
        db.SagaEvents.Add(new SagaOutboxEvent
        {
            EventId = eventId,
            RunId = run.CorrelationId,
            MessageType = SagaEventTypes.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web),
            TraceParent = Activity.Current?.Id ?? run.TraceParent,
            CreatedAt = _last,
        });
        if (!_watching)
        {
            _watching = true;
            db.SavedChanges += (_, _) => signal.Pulse();
        }
        return Task.CompletedTask;
    }
}

/// <summary>Wakes the publisher when a unit of work holding events was saved, so events do not wait for its next scan.</summary>
public sealed class SagaEventSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        if (_pulse.CurrentCount == 0)
        {
            try
            {
                _pulse.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another save woke it already.
            }
        }
    }

    public Task<bool> Wait(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
