namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// What a period's e-mail figures are computed from, summed from <c>kpi.email_day</c> (every flow and campaign) and the
/// shop's revenue of <c>kpi.daily_sales</c>.
/// </summary>
public sealed record EmailInputs(long Recipients, long Delivered, long Opens, long Clicks, long Unsubscribes, long Bounces, long RevenueMinor,
    long ShopRevenueMinor);

/// <summary>
/// The e-mail figures beside the 18 KPIs, each a pure function of a period's <see cref="EmailInputs"/>, rounded as
/// <see cref="KpiCalculator"/> rounds, with Klaviyo's own denominators: e-mail revenue (what Klaviyo attributes) and its
/// share of the shop's revenue; recipients; open and click rate = unique opens and clicks / delivered; revenue per
/// recipient; unsubscribe rate = unsubscribes / delivered; bounce rate = bounces / recipients.
/// </summary>
public static class EmailKpis
{
    public static readonly IReadOnlyList<(string Name, string Kind)> Definitions =
    [
        ("email_revenue", KpiKinds.Money), ("email_revenue_share", KpiKinds.Ratio), ("email_recipients", KpiKinds.Count),
        ("email_open_rate", KpiKinds.Ratio), ("email_click_rate", KpiKinds.Ratio), ("email_revenue_per_recipient", KpiKinds.Money),
        ("email_unsubscribe_rate", KpiKinds.Ratio), ("email_bounce_rate", KpiKinds.Ratio),
    ];

    /// <summary>Unsubscribes and bounces are better lower; the count of recipients is neither; every other figure higher.</summary>
    public static string? Better(string name) => name switch
    {
        "email_unsubscribe_rate" or "email_bounce_rate" => "lower",
        "email_recipients" => null,
        _ => "higher",
    };

    public static IReadOnlyList<Kpi> Compute(EmailInputs current, EmailInputs previous) =>
        KpiCalculator.Compare(Definitions, Values(current), Values(previous));

    public static Dictionary<string, decimal?> Values(EmailInputs x) => new(StringComparer.Ordinal)
    {
        ["email_revenue"] = x.RevenueMinor,
        ["email_revenue_share"] = KpiCalculator.Ratio(x.RevenueMinor, x.ShopRevenueMinor),
        ["email_recipients"] = x.Recipients,
        ["email_open_rate"] = KpiCalculator.Ratio(x.Opens, x.Delivered),
        ["email_click_rate"] = KpiCalculator.Ratio(x.Clicks, x.Delivered),
        ["email_revenue_per_recipient"] = KpiCalculator.MoneyPer(x.RevenueMinor, x.Recipients),
        ["email_unsubscribe_rate"] = KpiCalculator.Ratio(x.Unsubscribes, x.Delivered),
        ["email_bounce_rate"] = KpiCalculator.Ratio(x.Bounces, x.Recipients),
    };
}
