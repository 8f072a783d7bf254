namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// The answer of <c>GET /analytics/pipelines</c>: every pipeline of the shop over the window, and per source the hours of
/// the shop's day (in <see cref="TimeZone"/>) when its rate limits are used above <see cref="AvoidAtUsagePercent"/>.
/// </summary>
public sealed record PipelineHealthReport(
    string Shop,
    DateTimeOffset Since,
    DateTimeOffset Until,
    int WindowDays,
    string TimeZone,
    decimal AvoidAtUsagePercent,
    IReadOnlyList<PipelineSummary> Pipelines,
    IReadOnlyList<SourceWindows> RateLimitWindows);
