namespace GrowthOs.IngestSaga.Runs;

/// <summary>The answer of <c>POST /api/performance-metrics/sync</c>: the run requested, the client's idempotency key, and where to follow it.</summary>
public sealed record RunAccepted(Guid RunId, string? IdempotencyKey, string Shop, string Initiator, string StatusUrl);
