namespace GrowthOs.KpiAlert.Kpis;

/// <summary>What a period's KPIs are computed from, summed from this service's copies over the period's days.</summary>
/// <param name="OrderingCustomers">Customers (guests left out) with an order in the period.</param>
/// <param name="ReturningCustomers">Of those, the ones whose first order ever was before the period.</param>
/// <param name="RepeatCustomers">Of those, the ones with 2 or more orders in the period.</param>
/// <param name="NewCustomers">Customers whose first order ever falls in the period.</param>
/// <param name="Clicks">Both ad platforms' clicks; <paramref name="Impressions"/> likewise.</param>
public sealed record KpiInputs(
    long RevenueMinor,
    long Orders,
    long Units,
    long RefundsMinor,
    long NewCustomers,
    long OrderingCustomers,
    long ReturningCustomers,
    long RepeatCustomers,
    long MetaSpendMinor,
    long GoogleSpendMinor,
    long MetaValueMinor,
    long GoogleValueMinor,
    long Clicks,
    long Impressions,
    long Sessions)
{
    public static KpiInputs None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
