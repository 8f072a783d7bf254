namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/etl/status</c>: each pipeline's status and an alert for every expected pipeline late today.</summary>
public sealed record EtlStatusReport(IReadOnlyList<EtlPipelineStatus> Pipelines, IReadOnlyList<EtlStatusAlert> Alerts);
