namespace GrowthOs.IngestSaga.Schedules;

/// <summary>A scheduled job of a shop: its cron and zone, its next run, and its last.</summary>
public sealed record ScheduleView(string Shop, string Job, string Cron, string TimeZone, DateTimeOffset NextRunAt, Guid? LastRunId,
    DateTimeOffset? LastFiredAt);
