namespace GrowthOs.Contracts.Sales;

/// <summary>
/// One day's counted orders (test and cancelled ones left out): their number and revenue, the units they sold, the
/// refunds made that day, and the customers who ordered (guests left out) with their orders that day and the day of
/// their first order ever; and per product its units and net revenue that day (the order-line figures the product
/// measurements sum); and the day's <see cref="DailyProfitFigure"/> (null from a publisher that does not compute it).
/// </summary>
public record DailySalesFigure(
    DateOnly Date,
    int Orders,
    long RevenueMinor,
    long Units = 0,
    long RefundsMinor = 0,
    IReadOnlyList<CustomerOrders>? Customers = null,
    IReadOnlyList<ProductSales>? Products = null,
    DailyProfitFigure? Profit = null);
