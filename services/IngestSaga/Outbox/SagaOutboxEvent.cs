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
