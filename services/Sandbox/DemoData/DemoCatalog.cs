namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// The demo catalogue: 40 products with 1 to 4 variants each, stocked at two or three locations; some variants are
/// out of stock, some low, some overstocked, so every stock status appears.
/// </summary>
public static class DemoCatalog
{
    /// <summary>
    /// Planted for the fast-mover rule: the first variant of the first product is the shop's best seller (see
    /// <see cref="DemoShop.PlantedFastMoverShare"/>) and is out of stock everywhere.
    /// </summary>
    public const long PlantedFastMoverVariantId = 40_000_001;

    private static readonly string[] Kinds = ["Wrench", "Drill", "Saw", "Chisel", "Clamp", "Level", "Hammer", "Plane", "Rasp", "Square"];
    private static readonly string[] Lines = ["Pro", "Classic", "Compact", "Heavy"];
    private static readonly string[] Vendors = ["Ironwood", "Northbench", "Keel & Co"];
    private static readonly string[] Sizes = ["S", "M", "L", "XL"];

    public static readonly IReadOnlyList<DemoLocation> Locations =
        [new(71_001, "Main Warehouse"), new(71_002, "Downtown Store"), new(71_003, "Overflow Depot")];

    /// <param name="start">The instant the shop's first day of data begins.</param>
    public static IReadOnlyList<DemoProduct> Create(int seed, DateTimeOffset start, DateTimeOffset dataEnd)
    {
        var random = new Random(seed ^ 0x5EED);
        var products = new List<DemoProduct>();
        var variantId = 40_000_000L;
        for (var p = 0; p < Kinds.Length * Lines.Length; p++)
        {
            var productId = 8_000_000L + p;
            var title = $"{Lines[p / Kinds.Length]} {Kinds[p % Kinds.Length]}";
            var basePrice = random.Next(8, 180) + random.Next(0, 100) / 100m;
            var variantCount = 1 + random.Next(Sizes.Length);
            var createdAt = start.AddDays(-60 + p).AddMinutes(Unit(seed, productId, 1) * 1_440);
            var updatedAt = Min(start.AddSeconds(Unit(seed, productId, 2) * (dataEnd - start).TotalSeconds), dataEnd);
            var variants = new List<DemoVariant>();
            for (var v = 0; v < variantCount; v++)
            {
                var id = ++variantId;
                var sku = $"{Kinds[p % Kinds.Length][..3].ToUpperInvariant()}-{p:D3}-{Sizes[v]}";
                var price = basePrice + v * 5m;
                variants.Add(new DemoVariant(id, productId, sku, Sizes[v], price, Stock(seed, id, sku, price, start, dataEnd)));
            }
            var status = p % 13 == 12 ? "ARCHIVED" : p % 17 == 16 ? "DRAFT" : "ACTIVE";
            products.Add(new DemoProduct(productId, title, Vendors[p % Vendors.Length], Kinds[p % Kinds.Length], status, createdAt, updatedAt, variants));
        }
        return products;
    }

    private static DemoInventoryItem Stock(int seed, long variantId, string sku, decimal price, DateTimeOffset start, DateTimeOffset dataEnd)
    {
        var itemId = 50_000_000L + variantId - 40_000_000L;
        var band = Unit(seed, variantId, 3);
        var total = variantId == PlantedFastMoverVariantId ? 0 : band switch
        {
            < 0.08 => 0,
            < 0.23 => 1 + (int)(Unit(seed, variantId, 4) * 5),
            < 0.90 => 10 + (int)(Unit(seed, variantId, 4) * 140),
            _ => 400 + (int)(Unit(seed, variantId, 4) * 1_100),
        };
        var locationCount = Unit(seed, variantId, 5) < 0.6 ? 2 : 3;
        var levels = new List<DemoInventoryLevel>();
        var left = total;
        for (var l = 0; l < locationCount; l++)
        {
            var share = l == locationCount - 1 ? left : (int)(left * (0.5 + 0.3 * Unit(seed, variantId, 6 + l)));
            left -= share;
            var updatedAt = Min(dataEnd.AddHours(-Unit(seed, variantId, 10 + l) * 24 * 20), dataEnd);
            levels.Add(new DemoInventoryLevel(itemId * 10 + l, itemId, Locations[l], share, updatedAt < start ? start : updatedAt));
        }
        // The unit cost: 30 to 55 % of the price; about one item in ten has none (the merchant never gave it).
        decimal? unitCost = Unit(seed, variantId, 20) < 0.1 ? null : Math.Round(price * (0.30m + 0.25m * (decimal)Unit(seed, variantId, 21)), 2);
        return new DemoInventoryItem(itemId, variantId, sku, levels.Max(l => l.UpdatedAt), levels, unitCost);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A deterministic number in [0, 1) for (seed, id, salt), without a random stream: any record can be made alone.</summary>
    public static double Unit(int seed, long id, int salt)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)id * 0xBF58476D1CE4E5B9UL ^ (ulong)salt * 0x94D049BB133111EBUL);
        x ^= x >> 30;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 27;
        x = unchecked(x * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
