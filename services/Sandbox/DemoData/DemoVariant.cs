namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoVariant(long Id, long ProductId, string Sku, string Title, decimal Price, DemoInventoryItem InventoryItem)
{
    public int InventoryQuantity => InventoryItem.Levels.Sum(l => l.Available);
}
