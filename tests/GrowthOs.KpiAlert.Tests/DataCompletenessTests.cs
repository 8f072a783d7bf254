using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Analytics;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>Which pipelines are late or incomplete, and what that does to the alerts whose figures come from them.</summary>
public sealed class DataCompletenessTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private static RunSummary Run(string pipeline, string outcome, Guid? id = null, string? error = null) =>
        new(id ?? Guid.NewGuid(), pipeline, pipeline == "shopify" ? "DAILY_SYNC" : "MARKETING_SYNC", pipeline.Split(':')[^1], Now.AddHours(-1),
            outcome == "running" ? null : Now, outcome, null, 0, error, []);

    private static AlertCondition Condition(string rule, string subject = "", string severity = Severities.Critical) =>
        new(rule, subject, severity, "Something moved.", "Look at it.", new Dictionary<string, decimal?>());

    [Fact]
    public void A_pipeline_is_incomplete_without_a_recent_success_after_a_failed_or_partial_run_or_while_waiting_out_a_rate_limit()
    {
        var waiting = Guid.NewGuid();
        var gaps = DataCompleteness.Gaps(
            [new PipelineSuccess("shopify", Now.AddHours(-30)), new PipelineSuccess("marketing:meta", Now.AddHours(-2)),
             new PipelineSuccess("marketing:ga4", Now.AddHours(-1)), new PipelineSuccess("marketing:klaviyo", null)],
            [Run("marketing:meta", "failed", error: "OAuthException: token expired"), Run("marketing:ga4", "completed"),
             Run("marketing:google_ads", "running", waiting), Run("marketing:klaviyo", "partial"), Run("marketing:meta:backfill", "failed")],
            [
                new DeferralRow(waiting, "google_ads", null, "RESOURCE_EXHAUSTED", "quota", 600, Now.AddMinutes(-5)),
                new DeferralRow(waiting, "google_ads", null, "RESOURCE_EXHAUSTED", "quota", 60, Now.AddMinutes(-30)),
            ],
            Now, 26);
        Assert.Equal(["marketing:google_ads", "marketing:klaviyo", "marketing:meta", "shopify"], gaps.Select(g => g.Pipeline));
        var reasons = gaps.ToDictionary(g => g.Pipeline, g => g.Reason);
        Assert.Equal("no whole success for 30 h", reasons["shopify"]);
        Assert.EndsWith("failed: OAuthException: token expired", reasons["marketing:meta"]);
        Assert.EndsWith("waits out google_ads's rate limit until 2026-11-22 06:05:00Z", reasons["marketing:google_ads"]);
        Assert.EndsWith("ended partial; no whole success this week", reasons["marketing:klaviyo"]);

        // A deferral whose retry time has come holds nothing back; a running run without one neither.
        Assert.Empty(DataCompleteness.Gaps([], [Run("marketing:google_ads", "running", waiting)],
            [new DeferralRow(waiting, "google_ads", null, "RESOURCE_EXHAUSTED", "quota", 60, Now.AddMinutes(-30))], Now, 26));
    }

    [Fact]
    public void An_alert_on_figures_of_an_incomplete_pipeline_says_so_and_a_critical_one_is_held_back_to_warning()
    {
        IReadOnlyList<DataGap> gaps = [new("marketing:meta", "its latest run failed"), new("shopify", "no whole success for 30 h")];
        var revenue = DataCompleteness.Apply(Condition("revenue_drop"), gaps);
        Assert.Equal(("warning", true, "shopify"), (revenue.Severity, revenue.HeldBack, string.Join(",", revenue.DataIncomplete!.Select(g => g.Pipeline))));
        Assert.EndsWith("(shopify: no whole success for 30 h), so it is held back from critical until the data is whole again.", revenue.Message);

        // A campaign's ROAS comes from its own platform; Google's is whole.
        Assert.Equal("marketing:meta", Assert.Single(DataCompleteness.Apply(Condition("roas_below_one", "meta:601"), gaps).DataIncomplete!).Pipeline);
        Assert.Null(DataCompleteness.Apply(Condition("roas_below_one", "google_ads:701"), gaps).DataIncomplete);
        // Blended ROAS comes from both platforms and the sales.
        Assert.Equal(2, DataCompleteness.Apply(Condition("roas_below_one", "blended"), gaps).DataIncomplete!.Count);
        // A warning stays a warning, and says so.
        var ctr = DataCompleteness.Apply(Condition("ctr_drop", "meta", Severities.Warning), gaps);
        Assert.Equal(("warning", false), (ctr.Severity, ctr.HeldBack));
        Assert.EndsWith("(marketing:meta: its latest run failed).", ctr.Message);
        // The outages themselves are never held back.
        Assert.Equal("critical", DataCompleteness.Apply(Condition("pipeline_missing", "shopify"), gaps).Severity);
        // Data whole for the rule: the condition as it was.
        var whole = Condition("revenue_drop");
        Assert.Same(whole, DataCompleteness.Apply(whole, [new("marketing:ga4", "its latest run failed")]));
    }
}
