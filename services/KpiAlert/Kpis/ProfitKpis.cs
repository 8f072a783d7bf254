namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// The profit figures beside the 18 KPIs, each a pure function of a period's <see cref="ProfitInputs"/>, rounded as
/// <see cref="KpiCalculator"/> rounds: gross profit = net sales − cost of goods; gross margin = gross profit / net sales;
/// contribution margin = gross profit − shipping − payment fees − ad spend (and per order); net profit = contribution
/// margin − fixed expenses; POAS = gross profit / ad spend; first-order revenue and AOV; returning revenue share = repeat
/// revenue / (first + repeat revenue); new-customer ROAS = first-order revenue / ad spend.
/// </summary>
public static class ProfitKpis
{
    public static readonly IReadOnlyList<(string Name, string Kind)> Definitions =
    [
        ("net_sales", KpiKinds.Money), ("cogs", KpiKinds.Money), ("gross_profit", KpiKinds.Money), ("gross_margin", KpiKinds.Ratio),
        ("shipping_cost", KpiKinds.Money), ("payment_fees", KpiKinds.Money), ("contribution_margin", KpiKinds.Money),
        ("contribution_margin_per_order", KpiKinds.Money), ("fixed_expenses", KpiKinds.Money), ("net_profit", KpiKinds.Money),
        ("poas", KpiKinds.Ratio), ("first_order_revenue", KpiKinds.Money), ("first_order_aov", KpiKinds.Money),
        ("returning_revenue_share", KpiKinds.Ratio), ("new_customer_roas", KpiKinds.Ratio),
    ];

    /// <summary>Costs are better lower; every other figure higher.</summary>
    public static string Better(string name) => name is "cogs" or "shipping_cost" or "payment_fees" or "fixed_expenses" ? "lower" : "higher";

    public static IReadOnlyList<Kpi> Compute(ProfitInputs current, ProfitInputs previous) =>
        KpiCalculator.Compare(Definitions, Values(current), Values(previous));

    public static Dictionary<string, decimal?> Values(ProfitInputs x)
    {
        var grossProfit = x.NetSalesMinor - x.CogsMinor;
        var contribution = grossProfit - x.ShippingCostMinor - x.PaymentFeesMinor - x.AdSpendMinor;
        return new Dictionary<string, decimal?>(StringComparer.Ordinal)
        {
            ["net_sales"] = x.NetSalesMinor,
            ["cogs"] = x.CogsMinor,
            ["gross_profit"] = grossProfit,
            ["gross_margin"] = KpiCalculator.Ratio(grossProfit, x.NetSalesMinor),
            ["shipping_cost"] = x.ShippingCostMinor,
            ["payment_fees"] = x.PaymentFeesMinor,
            ["contribution_margin"] = contribution,
            ["contribution_margin_per_order"] = KpiCalculator.MoneyPer(contribution, x.Orders),
            ["fixed_expenses"] = x.FixedExpensesMinor,
            ["net_profit"] = contribution - x.FixedExpensesMinor,
            ["poas"] = KpiCalculator.Ratio(grossProfit, x.AdSpendMinor),
            ["first_order_revenue"] = x.FirstOrderRevenueMinor,
            ["first_order_aov"] = KpiCalculator.MoneyPer(x.FirstOrderRevenueMinor, x.FirstOrders),
            ["returning_revenue_share"] = KpiCalculator.Ratio(x.RepeatRevenueMinor, x.FirstOrderRevenueMinor + x.RepeatRevenueMinor),
            ["new_customer_roas"] = KpiCalculator.Ratio(x.FirstOrderRevenueMinor, x.AdSpendMinor),
        };
    }
}
