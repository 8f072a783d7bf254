namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/dashboard/sales-pulse</c>: the shop's sales of a period, each reporting day and the totals, money
/// in minor units of <see cref="CurrencyCode"/> (null when the period has no sales).
/// </summary>
public sealed record SalesPulse(string Shop, DateOnly From, DateOnly To, string? CurrencyCode, long Orders, long RevenueMinor, long AovMinor,
    long GrossSalesMinor, long DiscountsMinor, long RefundsMinor, long NetSalesMinor, long OrdersFulfilled, decimal FulfillmentRate,
    IReadOnlyList<SalesPulseDay> Days);
