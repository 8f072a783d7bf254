namespace GrowthOs.IngestSaga.Replay;

/// <summary>The answer of <c>POST /api/ingest/backfill</c>: the run requested, its days, and where to follow it.</summary>
public sealed record BackfillAccepted(Guid RunId, string Shop, DateOnly From, DateOnly To, string StatusUrl);
