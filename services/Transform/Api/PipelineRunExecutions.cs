namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/etl/runs/{runId}</c>: the executions the run has logged so far, in order.</summary>
public sealed record PipelineRunExecutions(Guid RunId, IReadOnlyList<PipelineExecution> Executions);
