using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>Each rule raised beyond its threshold and not at or below it, on KPI figures made for it.</summary>
public sealed class AlertRulesTests
{
    private static readonly DateOnly From = new(2026, 11, 24), To = new(2026, 11, 30);
    private static readonly AlertOptions Thresholds = new();

    /// <summary>Quiet periods: nothing moves, every rule stays silent.</summary>
    private static KpiInputs Week(long revenue = 1_000_000, long orders = 100, long newCustomers = 20, long metaSpend = 100_000, long googleSpend = 100_000,
        long metaValue = 300_000, long googleValue = 300_000, long sessions = 5_000) =>
        new(revenue, orders, 250, 0, newCustomers, 60, 40, 10, metaSpend, googleSpend, metaValue, googleValue, 2_000, 100_000, sessions);

    private static IReadOnlyList<AlertCondition> Evaluate(KpiInputs current, KpiInputs previous, IReadOnlyList<PlatformCtr>? platforms = null,
        IReadOnlyList<CampaignFigures>? campaigns = null) =>
        AlertRules.Evaluate(new AlertInputs(From, To, KpiCalculator.Compute(current, previous), platforms ?? [], campaigns ?? []), Thresholds);

    [Fact]
    public void Quiet_periods_raise_nothing() => Assert.Empty(Evaluate(Week(), Week()));

    [Theory]
    [InlineData(699_999, true)]    // −30.0001 %
    [InlineData(700_000, false)]   // exactly −30 %: at the threshold, not beyond it
    [InlineData(800_000, false)]
    public void Revenue_drop_is_raised_beyond_30_percent(long revenue, bool raised)
    {
        var conditions = Evaluate(Week(revenue: revenue, orders: 100), Week());
        Assert.Equal(raised, conditions.Any(c => c.Rule == "revenue_drop"));
        if (raised) Assert.Equal(("", "critical"),
            (conditions.Single(c => c.Rule == "revenue_drop").Subject, conditions.Single(c => c.Rule == "revenue_drop").Severity));
    }

    [Fact]
    public void ROAS_below_one_names_each_campaign_under_it_and_the_blended_figure_when_it_is_under_too()
    {
        var campaigns = new List<CampaignFigures>
        {
            new("meta", "601", "Prospecting", 50_000, 35_000),   // 0.7: raised
            new("meta", "602", "Retargeting", 50_000, 50_000),   // exactly 1.0: not
            new("google_ads", "701", "Brand", 999, 10),          // under the minimum spend: not judged
        };
        var conditions = Evaluate(Week(), Week(), campaigns: campaigns).Where(c => c.Rule == "roas_below_one").ToList();
        var single = Assert.Single(conditions);
        Assert.Equal(("meta:601", "critical"), (single.Subject, single.Severity));
        Assert.Contains("Prospecting", single.Message);
        Assert.Equal(0.7m, single.Figures["roas"]);

        // Revenue under ad spend: the blended figure too, naming the campaign to cut.
        var blended = Evaluate(Week(revenue: 199_999), Week(), campaigns: campaigns).Single(c => c.Rule == "roas_below_one" && c.Subject == "blended");
        Assert.Contains("Prospecting", blended.Recommendation);
        Assert.DoesNotContain(Evaluate(Week(revenue: 200_000), Week(revenue: 200_000)), c => c.Rule == "roas_below_one");
    }

    [Theory]
    [InlineData(15, true)]    // CAC 200,000 / 15 = 13,333 against 10,000: +33 %
    [InlineData(16, false)]   // 12,500: +25 %, at the threshold
    public void CAC_increase_is_raised_beyond_25_percent(long newCustomers, bool raised) =>
        Assert.Equal(raised, Evaluate(Week(newCustomers: newCustomers), Week()).Any(c => c.Rule == "cac_increase" && c.Severity == "warning"));

    [Theory]
    [InlineData(1_599, true)]   // 1.599 % against 2 %: −20.05 %
    [InlineData(1_600, false)]  // −20 %
    public void CTR_drop_is_raised_per_platform_beyond_20_percent(long metaClicks, bool raised)
    {
        var platforms = new List<PlatformCtr> { new("meta", metaClicks, 100_000, 2_000, 100_000), new("google_ads", 2_000, 100_000, 2_000, 100_000) };
        var conditions = Evaluate(Week(), Week(), platforms).Where(c => c.Rule == "ctr_drop").ToList();
        Assert.Equal(raised ? ["meta"] : [], conditions.Select(c => c.Subject));
    }

    [Theory]
    [InlineData(6_251, true)]   // 100 / 6,251 = 1.5998 % against 2 %: −20.01 %
    [InlineData(6_250, false)]  // 1.6 %: −20 %
    public void Conversion_rate_drop_is_raised_beyond_20_percent(long sessions, bool raised) =>
        Assert.Equal(raised, Evaluate(Week(sessions: sessions), Week()).Any(c => c.Rule == "conversion_rate_drop"));

    [Fact]
    public void A_figure_without_a_previous_value_raises_nothing()
    {
        var none = KpiInputs.None;
        Assert.DoesNotContain(Evaluate(Week(), none), c => c.Rule is "revenue_drop" or "cac_increase" or "conversion_rate_drop" or "ctr_drop");
    }

    [Fact]
    public void A_copy_not_wholly_held_raises_nothing_its_figures_need()
    {
        // Marketing arrived before the sales of the period: revenue looks like 0, blended ROAS 0; nothing may be raised on it.
        var inputs = new AlertInputs(From, To, KpiCalculator.Compute(Week(revenue: 0, orders: 0), Week()), [],
            [new CampaignFigures("meta", "601", "Prospecting", 50_000, 35_000)], SalesHeld: false, MarketingHeld: true);
        var conditions = AlertRules.Evaluate(inputs, Thresholds);
        Assert.Equal(["meta:601"], conditions.Select(c => c.Subject));
        Assert.Empty(AlertRules.Evaluate(inputs with { MarketingHeld = false }, Thresholds));
    }

    [Theory]
    [InlineData(25.9, false)]
    [InlineData(26.0, false)]   // at the threshold
    [InlineData(26.1, true)]
    public void A_daily_sync_without_a_whole_success_beyond_26_hours_is_missing(double hours, bool raised)
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var inputs = new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [],
            Pipelines: [new PipelineSuccess("marketing:meta", now.AddHours(-hours)), new PipelineSuccess("shopify", now.AddHours(-1))], Now: now);
        var conditions = AlertRules.Evaluate(inputs, Thresholds).Where(c => c.Rule == "pipeline_missing").ToList();
        Assert.Equal(raised ? ["marketing:meta"] : [], conditions.Select(c => c.Subject));
        if (raised) Assert.Contains("meta sync", conditions[0].Message);
    }

    [Fact]
    public void A_daily_sync_that_ran_this_week_without_any_whole_success_is_missing()
    {
        var inputs = new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [], Pipelines: [new PipelineSuccess("shopify", null)],
            Now: DateTimeOffset.UtcNow);
        var condition = Assert.Single(AlertRules.Evaluate(inputs, Thresholds));
        Assert.Equal(("pipeline_missing", "shopify", "critical"), (condition.Rule, condition.Subject, condition.Severity));
        Assert.Null(condition.Figures["hours_since_success"]);
    }

    [Fact]
    public void A_fast_mover_out_of_stock_is_raised_naming_the_variant_and_its_cover_and_a_slower_one_is_not()
    {
        var inputs = new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [], StockOuts:
        [
            new StockedOut(9001, "DRILL-18V", "Cordless Drill - 18V", "fast", 2.4m, 0m),
            new StockedOut(9002, "SAW-BLADE", "Saw blade", "medium", 0.3m, 0m),
        ]);
        var condition = Assert.Single(AlertRules.Evaluate(inputs, Thresholds));
        Assert.Equal(("fast_mover_stockout", "variant:9001", "critical"), (condition.Rule, condition.Subject, condition.Severity));
        Assert.Contains("Cordless Drill - 18V (DRILL-18V)", condition.Message);
        Assert.Contains("0 days of cover", condition.Message);
        Assert.Equal(2.4m, condition.Figures["daily_velocity"]);
    }

    /// <summary>A week's profit: net sales 800,000, cost of goods as given, shipping 50,000, fees 25,000, the week's ad spend.</summary>
    private static ProfitInputs Profit(long cogs = 400_000, long shipping = 50_000, long fees = 25_000, long adSpend = 200_000, long netSales = 800_000) =>
        new(7, 100, netSales, cogs, shipping, fees, 70_000, adSpend, 20, 150_000, 250_000);

    private static IReadOnlyList<AlertCondition> EvaluateProfit(ProfitInputs current, ProfitInputs previous, KpiInputs? week = null,
        KpiInputs? weekBefore = null, bool noMarketing = false) =>
        AlertRules.Evaluate(new AlertInputs(From, To, KpiCalculator.Compute(week ?? Week(), weekBefore ?? Week()), [], [],
            Profit: ProfitKpis.Compute(current, previous), NoMarketing: noMarketing), Thresholds);

    [Fact]
    public void A_negative_contribution_margin_is_critical_and_names_the_cost_that_grew_most()
    {
        // Gross profit 400,000 − shipping 50,000 − fees 25,000 − ad spend 200,000 = 125,000: quiet.
        Assert.Empty(EvaluateProfit(Profit(), Profit()));
        // Ad spend 350,000 (its KPI's week too, from 200,000): 400,000 − 75,000 − 350,000 = −25,000, and ad spend grew most.
        var condition = Assert.Single(EvaluateProfit(Profit(adSpend: 350_000), Profit(), Week(metaSpend: 250_000)),
            c => c.Rule == "contribution_margin_negative");
        Assert.Equal(("", "critical", -25_000m), (condition.Subject, condition.Severity, condition.Figures["value"]));
        Assert.Contains("ad spend, up 150,000 to 350,000", condition.Message);
        Assert.Contains("break-even ROAS", condition.Recommendation);
        // The cost of goods grew instead (net sales the same): named, with its advice.
        var goods = Assert.Single(EvaluateProfit(Profit(cogs: 560_000), Profit()), c => c.Rule == "contribution_margin_negative");
        Assert.Contains("cost of goods, up 160,000 to 560,000", goods.Message);
        Assert.Equal((560_000m, 400_000m), (goods.Figures["cogs_minor"], goods.Figures["previous_cogs_minor"]));
        // Exactly zero is not below it.
        Assert.DoesNotContain(EvaluateProfit(Profit(cogs: 525_000), Profit()), c => c.Rule == "contribution_margin_negative");
    }

    [Fact]
    public void A_contribution_margin_whose_ad_spend_has_not_all_arrived_raises_nothing()
    {
        var inputs = new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [], MarketingHeld: false,
            Profit: ProfitKpis.Compute(Profit(cogs: 700_000), Profit()));
        Assert.DoesNotContain(AlertRules.Evaluate(inputs, Thresholds), c => c.Rule == "contribution_margin_negative");
        // A shop with no ad source at all: its spend is whole at zero.
        Assert.Contains(AlertRules.Evaluate(inputs with { NoMarketing = true }, Thresholds), c => c.Rule == "contribution_margin_negative");
    }

    [Theory]
    [InlineData(440_001, true)]    // margin 0.449999 against 0.5: 5.0001 points
    [InlineData(440_000, false)]   // exactly 5 points: at the threshold
    public void Gross_margin_drop_is_raised_beyond_5_points(long cogs, bool raised)
    {
        var conditions = EvaluateProfit(Profit(cogs: cogs), Profit()).Where(c => c.Rule == "gross_margin_drop").ToList();
        Assert.Equal(raised, conditions.Count == 1);
        if (raised)
        {
            Assert.Equal("warning", conditions[0].Severity);
            Assert.Contains("5.0 points", conditions[0].Message);
        }
    }

    [Fact]
    public void Profit_rules_without_profit_figures_for_every_day_stay_silent() =>
        Assert.Empty(AlertRules.Evaluate(new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [], Profit: null), Thresholds));

    private static IReadOnlyList<AlertCondition> EvaluateEmail(IReadOnlyList<EmailSend>? sends = null, IReadOnlyList<FlowSending>? flows = null) =>
        AlertRules.Evaluate(new AlertInputs(From, To, KpiCalculator.Compute(Week(), Week()), [], [], EmailSends: sends, FlowSending: flows), Thresholds);

    /// <summary>The days from <paramref name="first"/> to <paramref name="last"/>, each one.</summary>
    private static DateOnly[] Daily(DateOnly first, DateOnly last) =>
        [.. Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays)];

    [Fact]
    public void A_flow_that_sent_every_day_and_stopped_is_raised_while_the_others_send_and_not_after_two_weeks_of_silence()
    {
        var welcome = new FlowSending("WeLc0m", "Welcome Series", Daily(To.AddDays(-21), To));
        // The abandoned cart sent on each of the 7 days up to 2 days ago, and on none since.
        var stopped = new FlowSending("AbCart", "Abandoned Cart", Daily(To.AddDays(-21), To.AddDays(-2)));
        var single = Assert.Single(EvaluateEmail(flows: [welcome, stopped]));
        Assert.Equal(("flow_stopped", "flow:AbCart", "warning"), (single.Rule, single.Subject, single.Severity));
        Assert.Contains("\"Abandoned Cart\" (AbCart) sent every day up to 2026-11-28 and nothing in the 2 days since", single.Message);
        Assert.Equal(2m, single.Figures["days_silent"]);

        // A flow with a gap in its last 7 sending days was never steady: a quiet day of it is not a stop.
        var patchy = new FlowSending("PoStPu", "Post-Purchase", [.. Daily(To.AddDays(-21), To.AddDays(-2)).Where(d => d != To.AddDays(-5))]);
        Assert.Empty(EvaluateEmail(flows: [welcome, patchy]));
        // Silent for 14 days: still reported; for 15: taken as turned off on purpose.
        Assert.Single(EvaluateEmail(flows: [welcome, new FlowSending("AbCart", null, Daily(To.AddDays(-21), To.AddDays(-14)))]));
        Assert.Empty(EvaluateEmail(flows: [welcome, new FlowSending("AbCart", null, Daily(To.AddDays(-22), To.AddDays(-15)))]));
        // No flow sent on the period's last day: that day's e-mail may not have come in, and nothing is judged.
        Assert.Empty(EvaluateEmail(flows: [new FlowSending("WeLc0m", null, Daily(To.AddDays(-21), To.AddDays(-1))), stopped]));
    }

    [Theory]
    [InlineData(100, null)]          // 1.0 %: at the setting, not beyond it
    [InlineData(101, "warning")]     // 1.01 %
    [InlineData(200, "warning")]     // 2.0 %: at the critical setting
    [InlineData(201, "critical")]
    public void The_bounce_rate_is_raised_beyond_its_setting_and_critical_beyond_the_second_naming_the_sends_over_it(long bounces, string? severity)
    {
        // 10,000 recipients: a campaign of 6,000 carrying the bounces, a flow of 4,000 with none.
        var sends = new List<EmailSend>
        {
            new("campaign", "01JCNWS", "Weekly newsletter", 6_000, 6_000 - bounces, 0, bounces),
            new("flow", "WeLc0m", "Welcome Series", 4_000, 4_000, 0, 0),
        };
        var raised = EvaluateEmail(sends).Where(c => c.Rule == "email_bounce_rate").ToList();
        Assert.Equal(severity, raised.SingleOrDefault()?.Severity);
        if (severity is null) return;
        Assert.Contains("campaign \"Weekly newsletter\" (01JCNWS", raised[0].Message);
        Assert.DoesNotContain("Welcome Series", raised[0].Message);
        Assert.Equal(((decimal)bounces, 10_000m), (raised[0].Figures["count"], raised[0].Figures["of"]));
    }

    [Fact]
    public void The_unsubscribe_rate_is_judged_over_delivered_and_only_from_the_minimum_of_recipients()
    {
        // 31 of 10,000 delivered unsubscribed: 0.31 %, past 0.3 %.
        var raised = Assert.Single(EvaluateEmail([new("flow", "WeLc0m", "Welcome Series", 10_100, 10_000, 31, 100)]));
        Assert.Equal(("email_unsubscribe_rate", "warning", 0.0031m), (raised.Rule, raised.Severity, raised.Figures["value"]));
        Assert.Empty(EvaluateEmail([new("flow", "WeLc0m", "Welcome Series", 10_100, 10_000, 30, 100)]));
        // 999 recipients are too few to judge, however many left.
        Assert.Empty(EvaluateEmail([new("flow", "WeLc0m", "Welcome Series", 999, 900, 300, 99)]));
    }

    [Fact]
    public void A_revenue_drop_says_where_revenue_lies_against_its_usual_range_and_carries_its_baseline()
    {
        // −31 % against a week before of 1,000,000.
        var kpis = KpiCalculator.Compute(Week(revenue: 690_000), Week());
        AlertCondition Drop(decimal baseline) => AlertRules.Evaluate(new AlertInputs(From, To, kpis, [], [],
            Baselines: KpiBaselines.Compute(kpis, [.. Enumerable.Range(0, 8).Select(i =>
                (IReadOnlyDictionary<string, decimal?>)new Dictionary<string, decimal?> { ["revenue"] = baseline + (i % 2 == 0 ? 50_000 : -50_000) })])),
            Thresholds).Single(c => c.Rule == "revenue_drop");
        // Usually 900,000 ± 2 × 53,452: below it, 3.93 spreads under.
        var below = Drop(900_000);
        Assert.Contains("; below its usual 793,096 to 1,006,905 minor units (the same weekdays of the last 8 weeks)", below.Message);
        Assert.Equal((900_000m, 793_095.50m, -3.93m), (below.Figures["baseline"], below.Figures["baseline_low"], below.Figures["z_score"]));
        // Usually 700,000: the week before was the unusual one, and the alert says revenue is back within its range.
        Assert.Contains("; within its usual 593,096 to 806,905 minor units", Drop(700_000).Message);
        // No baseline (too little history): no word of one.
        Assert.DoesNotContain("usual", Evaluate(Week(revenue: 690_000), Week()).Single(c => c.Rule == "revenue_drop").Message);
    }
}
