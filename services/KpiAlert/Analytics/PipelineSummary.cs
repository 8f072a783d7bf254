namespace GrowthOs.KpiAlert.Analytics;

/// <summary>The health of one pipeline over the window: its runs and their outcomes, durations, retries and deferrals.</summary>
public sealed record PipelineSummary(
    string Pipeline, string JobType, string Source, RunSummary? LastRun, int Runs, int Completed, int Partial, int Failed, int Running,
    decimal? SuccessRate, long? P50DurationMs, long? P95DurationMs, long Retries, int Deferrals);
