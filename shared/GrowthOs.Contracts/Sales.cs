namespace GrowthOs.Contracts.Sales;

/// <summary>
/// Daily sales of a shop were (re)computed for these dates (the shop's reporting days). Revenue and refunds in minor
/// units of <paramref name="CurrencyCode"/>. <paramref name="ComputedAt"/> orders two computations of the same day: a
/// subscriber keeping a copy takes a day only from a computation at least as new as the one it holds.
/// </summary>
public record DailySalesUpdated(
    Guid RunId,
    string ShopDomain,
    string CurrencyCode,
    IReadOnlyList<DailySalesFigure> Days,
    DateTimeOffset? ComputedAt = null);

/// <summary>
/// One day's counted orders (test and cancelled ones left out): their number and revenue, the units they sold, the
/// refunds made that day, and the customers who ordered (guests left out) with their orders that day and the day of
/// their first order ever; and per product its units and net revenue that day (the order-line figures the product
/// measurements sum).
/// </summary>
public record DailySalesFigure(
    DateOnly Date,
    int Orders,
    long RevenueMinor,
    long Units = 0,
    long RefundsMinor = 0,
    IReadOnlyList<CustomerOrders>? Customers = null,
    IReadOnlyList<ProductSales>? Products = null);

/// <summary>A customer's orders on a day, and the reporting day of its first counted order.</summary>
public record CustomerOrders(long CustomerId, int Orders, DateOnly FirstOrderDate);

/// <summary>A product's units and net revenue (line price × quantity − line discounts) on a day; <paramref name="ProductId"/> 0 for lines of no product.</summary>
public record ProductSales(long ProductId, string Title, long Units, long NetRevenueMinor);
