using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>The 18 KPIs on a golden pair of periods, each figure worked out by hand beside it.</summary>
public sealed class KpiCalculatorTests
{
    // This period: revenue 1,234,567 cents over 100 orders and 237 units, refunds 61,728; 60 customers ordered, 15 of
    // them for the first time ever (new), 45 had ordered before (returning), 12 ordered twice or more (repeat). Meta spent
    // 200,000 and reports 450,000 of purchases; Google spent 100,003 and reports 390,000; 1,500 clicks on 120,000
    // impressions; GA4 counted 4,000 sessions.
    private static readonly KpiInputs Current = new(
        RevenueMinor: 1_234_567, Orders: 100, Units: 237, RefundsMinor: 61_728,
        NewCustomers: 15, OrderingCustomers: 60, ReturningCustomers: 45, RepeatCustomers: 12,
        MetaSpendMinor: 200_000, GoogleSpendMinor: 100_003, MetaValueMinor: 450_000, GoogleValueMinor: 390_000,
        Clicks: 1_500, Impressions: 120_000, Sessions: 4_000);

    // The period before: revenue 1,000,000 over 80 orders and 200 units, no refunds; 50 customers, 20 new, 30 returning,
    // 10 repeat; Meta 250,000 for 500,000; Google 0 spend; 2,000 clicks on 100,000 impressions; 4,000 sessions.
    private static readonly KpiInputs Previous = new(
        RevenueMinor: 1_000_000, Orders: 80, Units: 200, RefundsMinor: 0,
        NewCustomers: 20, OrderingCustomers: 50, ReturningCustomers: 30, RepeatCustomers: 10,
        MetaSpendMinor: 250_000, GoogleSpendMinor: 0, MetaValueMinor: 500_000, GoogleValueMinor: 0,
        Clicks: 2_000, Impressions: 100_000, Sessions: 4_000);

    public static TheoryData<string, string, decimal?, decimal?, decimal?> Golden() => new()
    {
        // name, kind, value, previous, change
        { "revenue", "money", 1_234_567m, 1_000_000m, 0.2346m },                    // (1,234,567 − 1,000,000) / 1,000,000 = 0.234567 → 0.2346
        { "orders", "count", 100m, 80m, 0.25m },                                    // 20 / 80
        { "aov", "money", 12_346m, 12_500m, -0.0123m },                             // 1,234,567 / 100 = 12,345.67 → 12,346; 1,000,000 / 80 = 12,500;
                                                                                    // −154 / 12,500 = −0.01232
        { "new_customers", "count", 15m, 20m, -0.25m },                             // −5 / 20
        { "returning_customer_rate", "ratio", 0.75m, 0.6m, 0.25m },                 // 45 / 60; 30 / 50; 0.15 / 0.6
        { "repeat_purchase_rate", "ratio", 0.2m, 0.2m, 0m },                        // 12 / 60; 10 / 50
        { "refund_rate", "ratio", 0.05m, 0m, null },                                // 61,728 / 1,234,567 = 0.0499997… → 0.050000; previous 0: no change
        { "units_per_order", "ratio", 2.37m, 2.5m, -0.052m },                       // 237 / 100; 200 / 80; −0.13 / 2.5
        { "ad_spend", "money", 300_003m, 250_000m, 0.2m },                          // 200,000 + 100,003; 50,003 / 250,000 = 0.200012 → 0.2000
        { "meta_spend", "money", 200_000m, 250_000m, -0.2m },
        { "google_spend", "money", 100_003m, 0m, null },                            // previous 0
        { "blended_roas", "ratio", 4.115182m, 4m, 0.0288m },                        // 1,234,567 / 300,003 = 4.1151822…; 1,000,000 / 250,000 = 4;
                                                                                    // 0.115182 / 4 = 0.0287955 → 0.0288
        { "meta_roas", "ratio", 2.25m, 2m, 0.125m },                                // 450,000 / 200,000; 500,000 / 250,000
        { "google_roas", "ratio", 3.899883m, null, null },                          // 390,000 / 100,003 = 3.8998830…; previous spend 0: null
        { "cac", "money", 20_000m, 12_500m, 0.6m },                                 // 300,003 / 15 = 20,000.2 → 20,000; 250,000 / 20 = 12,500; 7,500 / 12,500
        { "ctr", "ratio", 0.0125m, 0.02m, -0.375m },                                // 1,500 / 120,000; 2,000 / 100,000; −0.0075 / 0.02
        { "cpc", "money", 200m, 125m, 0.6m },                                       // 300,003 / 1,500 = 200.002 → 200; 250,000 / 2,000 = 125; 75 / 125
        { "conversion_rate", "ratio", 0.025m, 0.02m, 0.25m },                       // 100 / 4,000; 80 / 4,000; 0.005 / 0.02
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Each_KPI_of_the_golden_periods(string name, string kind, decimal? value, decimal? previous, decimal? change)
    {
        var kpi = KpiCalculator.Compute(Current, Previous).Single(k => k.Name == name);
        Assert.Equal((kind, value, previous, change), (kpi.Kind, kpi.Value, kpi.Previous, kpi.Change));
    }

    [Theory]
    [InlineData("revenue", "higher")]
    [InlineData("conversion_rate", "higher")]
    [InlineData("blended_roas", "higher")]
    [InlineData("refund_rate", "lower")]
    [InlineData("cac", "lower")]
    [InlineData("cpc", "lower")]
    [InlineData("ad_spend", null)]
    [InlineData("meta_spend", null)]
    [InlineData("google_spend", null)]
    public void Each_KPI_says_which_way_is_better(string name, string? better)
    {
        Assert.Contains(KpiCalculator.Definitions, d => d.Name == name);
        Assert.Equal(better, KpiCalculator.Better(name));
    }

    [Fact]
    public void There_are_18_KPIs_in_their_documented_order()
    {
        Assert.Equal(18, KpiCalculator.Compute(Current, Previous).Count);
        Assert.Equal(Golden().Select(row => (string)row[0]), KpiCalculator.Compute(Current, Previous).Select(k => k.Name));
    }

    [Fact]
    public void A_period_with_nothing_gives_zero_counts_and_null_where_a_denominator_is_zero_never_an_exception()
    {
        var kpis = KpiCalculator.Compute(KpiInputs.None, KpiInputs.None).ToDictionary(k => k.Name);
        Assert.Equal(0m, kpis["revenue"].Value);
        Assert.Equal(0m, kpis["ad_spend"].Value);
        foreach (var ratio in new[] { "aov", "returning_customer_rate", "repeat_purchase_rate", "refund_rate", "units_per_order", "blended_roas", "meta_roas",
            "google_roas", "cac", "ctr", "cpc", "conversion_rate" })
            Assert.Null(kpis[ratio].Value);
        Assert.All(kpis.Values, k => Assert.Null(k.Change));
    }

    [Theory]
    [InlineData(1, 2, 1)]   // 0.5 → 1, half away from zero
    [InlineData(-1, 2, -1)]
    [InlineData(5, 3, 2)]   // 1.67 → 2
    public void Money_per_count_rounds_half_away_from_zero_to_the_minor_unit(long minor, long count, long expected) =>
        Assert.Equal(expected, KpiCalculator.MoneyPer(minor, count));

    [Fact]
    public void Profit_figures_are_worked_from_the_days_sums_to_the_minor_unit()
    {
        // Net sales 100,000, cost of goods 61,000, shipping 4,500, fees 3,210, ad spend 20,000, fixed 7,000; 3 orders, 2 of
        // them first orders of 30,000, and 45,000 of repeat revenue.
        var figures = ProfitKpis.Values(new ProfitInputs(7, 3, 100_000, 61_000, 4_500, 3_210, 7_000, 20_000, 2, 30_000, 45_000));
        Assert.Equal(39_000m, figures["gross_profit"]);                      // 100,000 − 61,000
        Assert.Equal(0.39m, figures["gross_margin"]);
        Assert.Equal(11_290m, figures["contribution_margin"]);              // 39,000 − 4,500 − 3,210 − 20,000
        Assert.Equal(3_763m, figures["contribution_margin_per_order"]);     // 11,290 / 3 = 3,763.33
        Assert.Equal(4_290m, figures["net_profit"]);                        // 11,290 − 7,000
        Assert.Equal(1.95m, figures["poas"]);                               // 39,000 / 20,000
        Assert.Equal(15_000m, figures["first_order_aov"]);
        Assert.Equal(0.6m, figures["returning_revenue_share"]);             // 45,000 / 75,000
        Assert.Equal(1.5m, figures["new_customer_roas"]);                   // 30,000 / 20,000
        // No sales and no spend: the ratios are null, never zero.
        var none = ProfitKpis.Values(new ProfitInputs(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        Assert.Null(none["gross_margin"]);
        Assert.Null(none["poas"]);
        Assert.Null(none["contribution_margin_per_order"]);
    }

    [Fact]
    public void Email_figures_are_worked_from_the_periods_sums_with_Klaviyos_denominators()
    {
        // 12,000 recipients, 200 bounced so 11,800 delivered, 5,015 unique opens, 413 unique clicks, 59 unsubscribes;
        // 987,654 attributed of the shop's 4,000,000 revenue. The week before: 10,000 recipients and 600,000 attributed.
        var now = new EmailInputs(12_000, 11_800, 5_015, 413, 59, 200, 987_654, 4_000_000);
        var before = new EmailInputs(10_000, 9_900, 4_000, 396, 30, 100, 600_000, 4_000_000);
        var figures = EmailKpis.Compute(now, before).ToDictionary(k => k.Name);
        Assert.Equal(EmailKpis.Definitions.Select(d => d.Name), figures.Keys);
        Assert.Equal((987_654m, 600_000m, 0.6461m), (figures["email_revenue"].Value, figures["email_revenue"].Previous, figures["email_revenue"].Change));
        Assert.Equal(0.246914m, figures["email_revenue_share"].Value);        // 987,654 / 4,000,000 = 0.2469135
        Assert.Equal(0.425m, figures["email_open_rate"].Value);               // 5,015 / 11,800
        Assert.Equal(0.035m, figures["email_click_rate"].Value);              // 413 / 11,800
        Assert.Equal((0.04m, -0.125m), (figures["email_click_rate"].Previous, figures["email_click_rate"].Change));
        Assert.Equal(82m, figures["email_revenue_per_recipient"].Value);      // 987,654 / 12,000 = 82.30 minor units
        Assert.Equal(0.005m, figures["email_unsubscribe_rate"].Value);        // 59 / 11,800
        Assert.Equal(0.016667m, figures["email_bounce_rate"].Value);          // 200 / 12,000
        Assert.Equal(("lower", "lower", null, "higher"), (EmailKpis.Better("email_bounce_rate"), EmailKpis.Better("email_unsubscribe_rate"),
            EmailKpis.Better("email_recipients"), EmailKpis.Better("email_click_rate")));
        // Nothing sent: the rates are null, never zero.
        var none = EmailKpis.Values(new EmailInputs(0, 0, 0, 0, 0, 0, 0, 0));
        Assert.Equal(new decimal?[] { 0, null, null, null, null }, new[] { none["email_revenue"], none["email_revenue_share"], none["email_click_rate"],
            none["email_revenue_per_recipient"], none["email_bounce_rate"] });
    }

    [Fact]
    public void A_baseline_is_the_mean_and_sample_spread_of_the_same_weekdays_weeks_and_needs_four_of_them()
    {
        // Revenue over the 8 earlier weeks: mean 100,000; squared deviations 0 + 100M + 100M + 0 + 25M + 25M + 0 + 0 = 250M,
        // over 7: spread √35,714,285.71 = 5,976.14; the usual range 100,000 ± 11,952.29. This week's 80,000 lies 3.35 spreads under.
        var weeks = new long[] { 100_000, 110_000, 90_000, 100_000, 105_000, 95_000, 100_000, 100_000 }
            .Select(r => (IReadOnlyDictionary<string, decimal?>)new Dictionary<string, decimal?> { ["revenue"] = r, ["refund_rate"] = null }).ToList();
        var current = new List<Kpi> { new("revenue", KpiKinds.Money, 80_000, 100_000, -0.2m), new("refund_rate", KpiKinds.Ratio, 0.01m, null, null) };
        var baselines = KpiBaselines.Compute(current, weeks).ToDictionary(b => b.Name);
        Assert.Equal(new KpiBaseline("revenue", 8, 100_000m, 5_976.14m, 88_047.71m, 111_952.29m, -3.35m, true), baselines["revenue"]);
        // A figure undefined in every week has no baseline; nor has one held in only 3 weeks.
        Assert.Equal(new KpiBaseline("refund_rate", 0, null, null, null, null, null, null), baselines["refund_rate"]);
        Assert.Equal(3, KpiBaselines.Compute(current, weeks[..3]).Single(b => b.Name == "revenue") is { Baseline: null, Weeks: var n } ? n : -1);
        // Within the range: not unusual; no spread: no z-score.
        Assert.Equal(false, KpiBaselines.Compute([current[0] with { Value = 95_000 }], weeks)[0].Unusual);
        var flat = Enumerable.Repeat((IReadOnlyDictionary<string, decimal?>)new Dictionary<string, decimal?> { ["revenue"] = 100_000 }, 4).ToList();
        Assert.Equal((0m, (decimal?)null, true), KpiBaselines.Compute(current, flat)[0] is var f ? (f.Spread!.Value, f.ZScore, f.Unusual!.Value) : default);
    }
}
