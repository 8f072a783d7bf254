namespace GrowthOs.Transform.Loading;

/// <summary>
/// An inventory item as Shopify gives it: its variant and, when the merchant gave one, its unit cost in minor units of
/// <paramref name="UnitCostCurrency"/> (the shop's currency).
/// </summary>
public sealed record InventoryItemRecord(long InventoryItemId, long? VariantId, string? Sku, DateTimeOffset? UpdatedAt, long? UnitCostMinor = null,
    string? UnitCostCurrency = null);
