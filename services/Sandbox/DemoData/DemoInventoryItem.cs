namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// What Shopify tracks of a variant's stock: one item, with a level at each location that stocks it, and the unit cost
/// the merchant gave it in the shop's currency (null when none was given, as for about one item in ten).
/// </summary>
public sealed record DemoInventoryItem(long Id, long VariantId, string Sku, DateTimeOffset UpdatedAt, IReadOnlyList<DemoInventoryLevel> Levels,
    decimal? UnitCost);
