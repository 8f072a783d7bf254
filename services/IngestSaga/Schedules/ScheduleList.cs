namespace GrowthOs.IngestSaga.Schedules;

/// <summary>The answer of <c>GET /api/ingest/schedules</c>: the shops' scheduled jobs, by shop and job.</summary>
public sealed record ScheduleList(IReadOnlyList<ScheduleView> Schedules);
