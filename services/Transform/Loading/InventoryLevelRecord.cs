namespace GrowthOs.Transform.Loading;

public sealed record InventoryLevelRecord(long InventoryItemId, long LocationId, int Available, DateTimeOffset? UpdatedAt);
