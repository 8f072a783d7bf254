namespace GrowthOs.Contracts.Inventory;

/// <summary>
/// The shop's stock snapshot of <paramref name="SnapshotDate"/> was taken: every variant not in stock (out of stock,
/// low, overstocked), with its velocity. <paramref name="ComputedAt"/> orders two snapshots: a copy takes only a newer one.
/// </summary>
public record StockAlertsUpdated(
    Guid RunId,
    string ShopDomain,
    DateOnly SnapshotDate,
    DateTimeOffset ComputedAt,
    IReadOnlyList<StockAlert> Variants);

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
