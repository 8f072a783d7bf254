namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>POST /api/etl/run</c>: the pipeline run queued, its days, and where to follow it.</summary>
public sealed record PipelineRunAccepted(Guid RunId, string? Shop, DateOnly From, DateOnly To, IReadOnlyList<string> Pipelines, string StatusUrl);
