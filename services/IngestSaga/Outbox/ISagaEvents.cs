using GrowthOs.IngestSaga.SyncRuns;

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
