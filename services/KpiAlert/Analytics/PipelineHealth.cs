namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// The pipelines view computed from the copies of a shop's sync telemetry, API calls and deferrals: pure, so its
/// arithmetic has a golden test.
/// </summary>
public static class PipelineHealth
{
    /// <summary>Shopify's answers that the bulk slot is taken: another bulk query of the shop runs, or the concurrent limit is reached.</summary>
    public static readonly IReadOnlySet<string> BulkSlotCodes = new HashSet<string> { "OPERATION_IN_PROGRESS", "LIMIT_REACHED" };

    /// <summary>
    /// The pipeline a run belongs to: <c>shopify</c> (the daily sync), <c>shopify:backfill</c>, <c>shopify:replay</c>,
    /// <c>marketing:{source}</c> (the daily marketing sync), <c>marketing:{source}:backfill</c>, <c>marketing:{source}:replay</c>;
    /// the daily ones are the jobs the <c>pipeline_missing</c> rule expects.
    /// </summary>
    public static string PipelineOf(string jobType, string source) => jobType switch
    {
        "DAILY_SYNC" => "shopify",
        "FULL_BACKFILL_EXECUTE" => "shopify:backfill",
        "REPLAY" => "shopify:replay",
        "MARKETING_SYNC" => $"marketing:{source}",
        "MARKETING_BACKFILL" => $"marketing:{source}:backfill",
        "MARKETING_REPLAY" => $"marketing:{source}:replay",
        _ => jobType.ToLowerInvariant(),
    };

    /// <summary>
    /// A run from its step changes: it began at its first, ended at its <c>completed</c>, <c>partial</c> or <c>failed</c>
    /// step (else it is <c>running</c>); its retries are, per entity, the most <c>retry_attempts</c> its telemetry counted.
    /// </summary>
    public static RunSummary Summarize(IReadOnlyList<StepRow> steps)
    {
        var ordered = steps.OrderBy(s => s.OccurredAt).ThenBy(s => s.Step, StringComparer.Ordinal).ToList();
        var first = ordered[0];
        var end = ordered.LastOrDefault(s => s.Step is "completed" or "partial" or "failed");
        var retries = ordered.GroupBy(s => s.Entity).Sum(g => g.Max(s => s.Counts.GetValueOrDefault("retry_attempts")));
        return new RunSummary(first.RunId, PipelineOf(first.JobType, first.Source), first.JobType, first.Source, first.OccurredAt, end?.OccurredAt,
            end?.Step ?? "running", end is null ? null : (long)(end.OccurredAt - first.OccurredAt).TotalMilliseconds, retries,
            ordered.LastOrDefault(s => s.Error is not null)?.Error, ordered);
    }

    /// <summary>Each pipeline's health from the runs that began in the window, the pipelines in name order.</summary>
    public static IReadOnlyList<PipelineSummary> Pipelines(IEnumerable<StepRow> steps, IEnumerable<DeferralRow> deferrals)
    {
        var runs = steps.GroupBy(s => s.RunId).Select(g => Summarize(g.ToList())).ToList();
        var deferralsOfRun = deferrals.GroupBy(d => d.RunId).ToDictionary(g => g.Key, g => g.Count());
        return runs.GroupBy(r => r.Pipeline).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var ended = g.Where(r => r.DurationMs is not null).ToList();
            var durations = ended.Select(r => r.DurationMs!.Value).Order().ToList();
            var completed = g.Count(r => r.Outcome == "completed");
            return new PipelineSummary(g.Key, g.First().JobType, g.First().Source, g.MaxBy(r => r.StartedAt), g.Count(), completed,
                g.Count(r => r.Outcome == "partial"), g.Count(r => r.Outcome == "failed"), g.Count(r => r.Outcome == "running"),
                ended.Count == 0 ? null : Math.Round((decimal)completed / ended.Count, 4),
                Percentile(durations, 0.50m), Percentile(durations, 0.95m), g.Sum(r => r.Retries), g.Sum(r => deferralsOfRun.GetValueOrDefault(r.RunId)));
        }).ToList();
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="share"/> of the values at or below it.</summary>
    public static long? Percentile(IReadOnlyList<long> sorted, decimal share) =>
        sorted.Count == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];

    /// <summary>
    /// Per source and hour of the day in <paramref name="zone"/>: the calls, throttled calls, deferrals, bulk-slot waits
    /// and reported usage; an hour is to be avoided when a call was throttled, the bulk slot was taken, or the usage
    /// reported reached <paramref name="avoidAtUsagePercent"/>.
    /// </summary>
    public static IReadOnlyList<SourceWindows> RateLimitWindows(IEnumerable<CallRow> calls, IEnumerable<DeferralRow> deferrals, TimeZoneInfo zone,
        decimal avoidAtUsagePercent)
    {
        int HourOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).Hour;
        var callsBy = calls.ToLookup(c => (c.Source, HourOf(c.At)));
        var deferralsBy = deferrals.ToLookup(d => (d.Source, HourOf(d.At)));
        var sources = callsBy.Select(g => g.Key.Source).Concat(deferralsBy.Select(g => g.Key.Source)).Distinct().Order(StringComparer.Ordinal);
        return sources.Select(source =>
        {
            var hours = Enumerable.Range(0, 24).Select(hour =>
            {
                var inHour = callsBy[(source, hour)].ToList();
                var waits = deferralsBy[(source, hour)].ToList();
                var usages = inHour.Where(c => c.UsagePercent is not null).Select(c => c.UsagePercent!.Value).ToList();
                decimal? max = usages.Count == 0 ? null : usages.Max();
                var throttled = inHour.Count(c => c.Throttled);
                var slotWaits = waits.Count(d => BulkSlotCodes.Contains(d.ErrorCode));
                return new HourWindow(hour, inHour.Count, throttled, waits.Count, slotWaits, max,
                    usages.Count == 0 ? null : Math.Round(usages.Average(), 2), throttled > 0 || slotWaits > 0 || max >= avoidAtUsagePercent);
            }).ToList();
            return new SourceWindows(source, hours, hours.Where(h => h.Avoid).Select(h => h.Hour).ToList());
        }).ToList();
    }
}
