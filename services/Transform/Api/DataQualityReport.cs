namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/etl/data-quality</c>: the latest outcome of every check for the shop.</summary>
public sealed record DataQualityReport(string Shop, IReadOnlyList<DataQualityCheckStatus> Checks);
