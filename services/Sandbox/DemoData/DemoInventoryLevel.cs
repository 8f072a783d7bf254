namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoInventoryLevel(long Id, long InventoryItemId, DemoLocation Location, int Available, DateTimeOffset UpdatedAt);
