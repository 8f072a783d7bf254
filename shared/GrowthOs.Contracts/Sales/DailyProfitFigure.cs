namespace GrowthOs.Contracts.Sales;

/// <summary>
/// One day's profit, minor units of the shop's currency: net sales (lines less discounts and the day's refunds), the cost
/// of goods of the lines whose cost is known, the shipping cost and payment fees (Shopify's, else the shop's rules) and
/// the day's share of the fixed expenses, as the shop's cost rules stood when the day was computed. Ad spend is not in
/// it: subscribers hold the marketing figures apart. And the day's first orders (a customer's first counted order ever)
/// and repeat orders, with their revenue (order totals); guests' orders are neither.
/// </summary>
public record DailyProfitFigure(
    long NetSalesMinor,
    long CogsMinor,
    long ShippingCostMinor,
    long PaymentFeesMinor,
    long FixedExpensesMinor,
    long FirstOrders = 0,
    long FirstOrderRevenueMinor = 0,
    long RepeatOrders = 0,
    long RepeatRevenueMinor = 0);
