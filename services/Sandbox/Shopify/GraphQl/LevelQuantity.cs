using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record LevelQuantity(string Name, int Quantity, DemoInventoryLevel Level);
