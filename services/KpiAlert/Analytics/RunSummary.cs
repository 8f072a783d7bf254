namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A run told by its telemetry: when it began and ended, how, how long it took, how often it tried again, and its steps in order.</summary>
public sealed record RunSummary(
    Guid RunId, string Pipeline, string JobType, string Source, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, long? DurationMs,
    long Retries, string? Error, IReadOnlyList<StepRow> Steps);
