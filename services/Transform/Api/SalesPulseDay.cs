namespace GrowthOs.Transform.Api;

/// <summary>One reporting day of <see cref="SalesPulse"/>.</summary>
public sealed record SalesPulseDay(DateOnly Date, int Orders, long RevenueMinor, long AovMinor, long GrossSalesMinor, long DiscountsMinor, long RefundsMinor,
    long NetSalesMinor, int OrdersFulfilled, decimal FulfillmentRate);
