namespace GrowthOs.IngestSaga.Outbox;

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
