namespace GrowthOs.Transform.Loading;

public sealed record InventoryItemRecord(long InventoryItemId, long? VariantId, string? Sku, DateTimeOffset? UpdatedAt);
