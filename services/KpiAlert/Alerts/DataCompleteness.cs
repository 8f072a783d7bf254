using GrowthOs.KpiAlert.Analytics;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A daily pipeline of the shop whose data is late or incomplete, and why.</summary>
public sealed record DataGap(string Pipeline, string Reason);

/// <summary>
/// SLA and anomaly co-movement: which daily pipelines of a shop are late or incomplete, and what that does to an alert
/// whose figures come from them. A pipeline is incomplete when it has no whole success for more than the
/// <c>pipeline_missing</c> rule's hours, when its latest run failed or ended partial, or when its latest run is waiting out
/// a source's rate limit (a deferral whose retry time has not come). An alert raised on figures of an incomplete pipeline
/// says so (<c>data_incomplete</c>, naming the pipelines) and is held back from critical to warning until they are whole
/// again. The rules about the pipelines themselves (<c>pipeline_missing</c>, <c>sync_gap</c>) are the outage, not
/// figures of it: they are never held back.
/// </summary>
public static class DataCompleteness
{
    private static readonly string[] Sales = ["shopify"];
    private static readonly string[] Ads = ["marketing:meta", "marketing:google_ads"];

    /// <summary>The daily pipelines each rule's figures come from (a subject naming a source narrows it to that source's).</summary>
    public static IReadOnlyList<string> PipelinesOf(string rule, string subject) => rule switch
    {
        "revenue_drop" or "fast_mover_stockout" or "gross_margin_drop" => Sales,
        "roas_below_one" when subject.Split(':') is [var source, _] => [$"marketing:{source}"],
        "roas_below_one" or "cac_increase" or "contribution_margin_negative" => [.. Sales, .. Ads],
        "ctr_drop" => [$"marketing:{subject}"],
        "conversion_rate_drop" => [.. Sales, "marketing:ga4"],
        "flow_stopped" or "email_bounce_rate" or "email_unsubscribe_rate" => ["marketing:klaviyo"],
        _ => [],
    };

    /// <summary>
    /// The shop's incomplete daily pipelines at <paramref name="now"/>, in pipeline order: from the last whole success of
    /// each (<paramref name="successes"/>), the latest run of each (<paramref name="latestRuns"/>) and its deferrals.
    /// </summary>
    public static IReadOnlyList<DataGap> Gaps(IReadOnlyList<PipelineSuccess> successes, IReadOnlyList<RunSummary> latestRuns,
        IReadOnlyList<DeferralRow> deferrals, DateTimeOffset now, int maxAgeHours)
    {
        var gaps = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pipeline in successes.Where(p => p.Missing(now, maxAgeHours)))
            gaps[pipeline.Job] = pipeline.Age(now) is { } age ? $"no whole success for {age.TotalHours:0} h" : "no whole success this week";
        foreach (var run in latestRuns.Where(r => IsDaily(r.Pipeline)))
        {
            var waiting = deferrals.Where(d => d.RunId == run.RunId && d.RetryAfterSeconds is { } seconds && d.At.AddSeconds(seconds) > now)
                .MaxBy(d => d.At.AddSeconds(d.RetryAfterSeconds!.Value));
            var reason = run.Outcome switch
            {
                "failed" => $"its latest run {run.RunId} failed" + (run.Error is null ? "" : $": {run.Error}"),
                "partial" => $"its latest run {run.RunId} ended partial",
                "running" when waiting is not null =>
                    $"its run {run.RunId} waits out {waiting.Source}'s rate limit until {waiting.At.AddSeconds(waiting.RetryAfterSeconds!.Value):u}",
                _ => null,
            };
            if (reason is null) continue;
            gaps[run.Pipeline] = gaps.TryGetValue(run.Pipeline, out var missing) ? $"{reason}; {missing}" : reason;
        }
        return [.. gaps.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new DataGap(g.Key, g.Value))];
    }

    /// <summary>The daily pipelines: the Shopify sync and each marketing source's (not their backfills or replays).</summary>
    public static bool IsDaily(string pipeline) => pipeline == "shopify" || pipeline.StartsWith("marketing:", StringComparison.Ordinal)
        && pipeline.Count(c => c == ':') == 1;

    /// <summary>
    /// The condition as the data stands: with the gaps of the pipelines its figures come from, said in its message, and a
    /// critical one held back to warning while there are any.
    /// </summary>
    public static AlertCondition Apply(AlertCondition condition, IReadOnlyList<DataGap> gaps)
    {
        var pipelines = PipelinesOf(condition.Rule, condition.Subject);
        var incomplete = gaps.Where(g => pipelines.Contains(g.Pipeline)).ToList();
        if (incomplete.Count == 0) return condition;
        var held = condition.Severity == Severities.Critical;
        return condition with
        {
            Severity = held ? Severities.Warning : condition.Severity,
            Message = condition.Message + " The data behind it is incomplete (" + string.Join("; ", incomplete.Select(g => $"{g.Pipeline}: {g.Reason}"))
                + (held ? "), so it is held back from critical until the data is whole again." : ")."),
            DataIncomplete = incomplete,
            HeldBack = held,
        };
    }
}
