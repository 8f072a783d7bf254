namespace GrowthOs.Transform.Loading;

/// <summary>A variant; Shopify gives its price without a currency (the shop's), so it stays as text until the load knows the currency.</summary>
public sealed record VariantRecord(
    long VariantId,
    long ProductId,
    string? Sku,
    string? Title,
    string? Price,
    int? InventoryQuantity,
    long? InventoryItemId,
    DateTimeOffset? UpdatedAt);
