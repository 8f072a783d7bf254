namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A step change of a run, as this service copied it (<c>kpi.sync_step</c>).</summary>
public sealed record StepRow(
    Guid RunId, string JobType, string Source, string Step, string Status, string Entity, DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, long> Counts, string? Error);
