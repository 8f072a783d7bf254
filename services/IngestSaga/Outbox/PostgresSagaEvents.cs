using System.Diagnostics;
using System.Text.Json;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.SyncRuns;

namespace GrowthOs.IngestSaga.Outbox;

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
