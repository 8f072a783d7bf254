namespace GrowthOs.Contracts.Inventory;

/// <summary>
/// A variant not in stock: <paramref name="StockStatus"/> out_of_stock, low_stock or overstock; <paramref name="VelocityTier"/>
/// fast, medium, slow or stagnant; units sold a day over the velocity window, and the days its available units cover.
/// </summary>
public record StockAlert(
    long VariantId,
    long? ProductId,
    string? Sku,
    string? Title,
    string StockStatus,
    string VelocityTier,
    decimal DailyVelocity,
    decimal? DaysOfCover,
    int QuantityAvailable);
