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
