namespace GrowthOs.KpiAlert.Analytics;

/// <summary>An answer that asked a run to wait (<c>kpi.deferral</c>).</summary>
public sealed record DeferralRow(Guid RunId, string Source, string? Entity, string ErrorCode, string Reason, double? RetryAfterSeconds, DateTimeOffset At);
