namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// The health of one pipeline over the window: its runs and their outcomes, durations, retries and deferrals; and the
/// alerts that moved together with its outages (<see cref="MovedAlerts"/>: raised in the window or still open while its
/// data was late or incomplete).
/// </summary>
public sealed record PipelineSummary(
    string Pipeline, string JobType, string Source, RunSummary? LastRun, int Runs, int Completed, int Partial, int Failed, int Running,
    decimal? SuccessRate, long? P50DurationMs, long? P95DurationMs, long Retries, int Deferrals)
{
    public IReadOnlyList<MovedAlert> MovedAlerts { get; init; } = [];
}

/// <summary>An alert raised while a pipeline's data was late or incomplete: its rule, subject, severity, whether it is held back, and its times.</summary>
public sealed record MovedAlert(Guid AlertId, string Rule, string Subject, string Severity, string Status, bool HeldBack, DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt);
