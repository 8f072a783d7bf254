namespace GrowthOs.KpiAlert.Analytics;

/// <summary>What a run's postmortem needs, as this service's copies hold it.</summary>
public sealed record RunEvidence(
    string Shop,
    RunSummary Run,
    IReadOnlyList<CallRow> Calls,
    IReadOnlyList<DeferralRow> Deferrals,
    IReadOnlyList<QualityRow> Quality,
    IReadOnlyList<SourceWindows> RateLimitWindows,
    string TimeZone);
