namespace GrowthOs.Contracts.Sales;

/// <summary>
/// A product's units and net revenue (line price × quantity − line discounts) on a day; <paramref name="ProductId"/> 0
/// for lines of no product.
/// </summary>
public record ProductSales(long ProductId, string Title, long Units, long NetRevenueMinor);
