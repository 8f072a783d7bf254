using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/etl/status</c>, for one shop or every shop: each pipeline's status (<c>v_etl_status</c>), the
/// failures of the last 24 hours, the executions slower than <see cref="SlowAfterMs"/>, the milliseconds per row by day over
/// the last week, and an alert for every expected pipeline missing today.
/// </summary>
public sealed record EtlStatusReport(
    string? Shop,
    IReadOnlyList<EtlPipelineStatus> Pipelines,
    [property: JsonPropertyName("failures_24h")] IReadOnlyList<EtlFailure> Failures24h,
    [property: JsonPropertyName("slow_after_ms")] long SlowAfterMs,
    IReadOnlyList<EtlSlowExecution> SlowExecutions,
    IReadOnlyList<EtlCostDay> MsPerRowByDay,
    IReadOnlyList<EtlStatusAlert> Alerts);
