namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoProduct(long Id, string Title, string Vendor, IReadOnlyList<DemoVariant> Variants);

public sealed record DemoVariant(long Id, string Sku, string Title, decimal Price);

public static class DemoCatalog
{
    private static readonly string[] Kinds = ["Wrench", "Drill", "Saw", "Chisel", "Clamp", "Level", "Hammer", "Plane", "Rasp", "Square"];
    private static readonly string[] Lines = ["Pro", "Classic", "Compact", "Heavy"];
    private static readonly string[] Vendors = ["Ironwood", "Northbench", "Keel & Co"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL"];

    public static IReadOnlyList<DemoProduct> Create(int seed)
    {
        var random = new Random(seed ^ 0x5EED);
        var products = new List<DemoProduct>();
        var variantId = 40_000_000L;
        for (var p = 0; p < Kinds.Length * Lines.Length; p++)
        {
            var title = $"{Lines[p / Kinds.Length]} {Kinds[p % Kinds.Length]}";
            var basePrice = random.Next(8, 180) + random.Next(0, 100) / 100m;
            var variants = Enumerable.Range(0, 1 + random.Next(Sizes.Length))
                .Select(v => new DemoVariant(++variantId, $"{Kinds[p % Kinds.Length][..3].ToUpperInvariant()}-{p:D3}-{Sizes[v]}", Sizes[v], basePrice + v * 5m))
                .ToList();
            products.Add(new DemoProduct(8_000_000 + p, title, Vendors[p % Vendors.Length], variants));
        }
        return products;
    }
}
