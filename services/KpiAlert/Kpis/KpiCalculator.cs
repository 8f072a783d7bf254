namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// The 18 KPIs, each a pure function of a period's <see cref="KpiInputs"/>. Money is integer minor units (an average
/// of money, such as AOV, CAC or CPC, rounded half away from zero to the minor unit); ratios are decimals rounded half
/// away from zero to 6 places; a division by zero is null, never 0. The change is (value − previous) / previous to 4
/// places, null when the previous value is 0 or null, or the value null.
/// </summary>
public static class KpiCalculator
{
    public const int RatioDecimals = 6;
    public const int ChangeDecimals = 4;

    public static readonly IReadOnlyList<(string Name, string Kind)> Definitions =
    [
        ("revenue", KpiKinds.Money), ("orders", KpiKinds.Count), ("aov", KpiKinds.Money), ("new_customers", KpiKinds.Count),
        ("returning_customer_rate", KpiKinds.Ratio), ("repeat_purchase_rate", KpiKinds.Ratio), ("refund_rate", KpiKinds.Ratio),
        ("units_per_order", KpiKinds.Ratio), ("ad_spend", KpiKinds.Money), ("meta_spend", KpiKinds.Money), ("google_spend", KpiKinds.Money),
        ("blended_roas", KpiKinds.Ratio), ("meta_roas", KpiKinds.Ratio), ("google_roas", KpiKinds.Ratio), ("cac", KpiKinds.Money),
        ("ctr", KpiKinds.Ratio), ("cpc", KpiKinds.Money), ("conversion_rate", KpiKinds.Ratio),
    ];

    /// <summary>
    /// Which way a KPI is better: <c>higher</c>, or <c>lower</c> for what refunds, a customer or a click cost; none (null)
    /// for spend, which is neither good nor bad by itself. Dashboards colour a change by it.
    /// </summary>
    public static string? Better(string name) => name switch
    {
        "refund_rate" or "cac" or "cpc" => "lower",
        "ad_spend" or "meta_spend" or "google_spend" => null,
        _ => "higher",
    };

    public static IReadOnlyList<Kpi> Compute(KpiInputs current, KpiInputs previous) => Compare(Definitions, Values(current), Values(previous));

    /// <summary>Each defined figure's value beside the period before's, with the change between them.</summary>
    public static IReadOnlyList<Kpi> Compare(IReadOnlyList<(string Name, string Kind)> definitions, Dictionary<string, decimal?> now,
        Dictionary<string, decimal?> before) =>
        [.. definitions.Select(d => new Kpi(d.Name, d.Kind, now[d.Name], before[d.Name], Change(now[d.Name], before[d.Name])))];

    public static Dictionary<string, decimal?> Values(KpiInputs x)
    {
        var adSpend = x.MetaSpendMinor + x.GoogleSpendMinor;
        return new Dictionary<string, decimal?>(StringComparer.Ordinal)
        {
            ["revenue"] = x.RevenueMinor,
            ["orders"] = x.Orders,
            ["aov"] = MoneyPer(x.RevenueMinor, x.Orders),
            ["new_customers"] = x.NewCustomers,
            ["returning_customer_rate"] = Ratio(x.ReturningCustomers, x.OrderingCustomers),
            ["repeat_purchase_rate"] = Ratio(x.RepeatCustomers, x.OrderingCustomers),
            ["refund_rate"] = Ratio(x.RefundsMinor, x.RevenueMinor),
            ["units_per_order"] = Ratio(x.Units, x.Orders),
            ["ad_spend"] = adSpend,
            ["meta_spend"] = x.MetaSpendMinor,
            ["google_spend"] = x.GoogleSpendMinor,
            ["blended_roas"] = Ratio(x.RevenueMinor, adSpend),
            ["meta_roas"] = Ratio(x.MetaValueMinor, x.MetaSpendMinor),
            ["google_roas"] = Ratio(x.GoogleValueMinor, x.GoogleSpendMinor),
            ["cac"] = MoneyPer(adSpend, x.NewCustomers),
            ["ctr"] = Ratio(x.Clicks, x.Impressions),
            ["cpc"] = MoneyPer(adSpend, x.Clicks),
            ["conversion_rate"] = Ratio(x.Orders, x.Sessions),
        };
    }

    /// <summary>Money divided by a count, to the minor unit, half away from zero; null when the count is 0.</summary>
    public static decimal? MoneyPer(long minor, long count) => count == 0 ? null : Math.Round((decimal)minor / count, 0, MidpointRounding.AwayFromZero);

    public static decimal? Ratio(long numerator, long denominator) =>
        denominator == 0 ? null : Math.Round((decimal)numerator / denominator, RatioDecimals, MidpointRounding.AwayFromZero);

    public static decimal? Change(decimal? value, decimal? previous) =>
        value is null || previous is null or 0
            ? null
            : Math.Round((value.Value - previous.Value) / previous.Value, ChangeDecimals, MidpointRounding.AwayFromZero);
}
