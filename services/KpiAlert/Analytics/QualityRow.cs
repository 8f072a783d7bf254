namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A data-quality check's outcome in a run.</summary>
public sealed record QualityRow(string Check, string Severity, long Violations, bool Passed, DateTimeOffset CheckedAt);
