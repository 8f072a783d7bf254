namespace GrowthOs.Transform.Api;

/// <summary>
/// One reporting day of the profit, minor units of the shop's currency: net sales, cost of goods, gross profit, ad spend,
/// shipping cost and payment fees, the contribution margin they leave, the day's share of the fixed expenses, and the net
/// profit; and its first and repeat orders with their revenue (order totals).
/// </summary>
public sealed record ProfitDay(
    DateOnly Date,
    long Orders,
    long NetSalesMinor,
    long CogsMinor,
    long GrossProfitMinor,
    long AdSpendMinor,
    long ShippingCostMinor,
    long PaymentFeesMinor,
    long ContributionMarginMinor,
    long FixedExpensesMinor,
    long NetProfitMinor,
    long FirstOrders,
    long FirstOrderRevenueMinor,
    long RepeatOrders,
    long RepeatRevenueMinor);
