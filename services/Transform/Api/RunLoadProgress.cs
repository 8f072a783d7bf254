using GrowthOs.Contracts.Transform;

namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/etl/loads/{runId}</c>: how far each load of the run has committed.</summary>
public sealed record RunLoadProgress(Guid RunId, IReadOnlyList<LoadProgress> Loads);
