namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// What a period's profit figures are computed from, summed from <c>kpi.daily_sales</c>'s profit columns (the Transform's
/// figures, cost rules applied) and the ad platforms' spend of <c>kpi.marketing_day</c>; <paramref name="Days"/> is how
/// many of the period's days carry profit figures.
/// </summary>
public sealed record ProfitInputs(
    int Days,
    long Orders,
    long NetSalesMinor,
    long CogsMinor,
    long ShippingCostMinor,
    long PaymentFeesMinor,
    long FixedExpensesMinor,
    long AdSpendMinor,
    long FirstOrders,
    long FirstOrderRevenueMinor,
    long RepeatRevenueMinor);
