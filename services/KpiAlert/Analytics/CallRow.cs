namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A call the Connector made to a source's API (<c>kpi.api_call</c>).</summary>
public sealed record CallRow(
    Guid RunId, string Source, string Endpoint, DateTimeOffset At, int? HttpStatus, long DurationMs, long Records, bool Throttled, string? ErrorCode,
    decimal? UsagePercent);
