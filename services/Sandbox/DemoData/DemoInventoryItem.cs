namespace GrowthOs.Sandbox.DemoData;

/// <summary>What Shopify tracks of a variant's stock: one item, with a level at each location that stocks it.</summary>
public sealed record DemoInventoryItem(long Id, long VariantId, string Sku, DateTimeOffset UpdatedAt, IReadOnlyList<DemoInventoryLevel> Levels);
