namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// A deterministic demo shop: the same seed and anchor date give the same orders, byte for byte. Each day is generated
/// from its own random stream, so a day can be produced without holding any other in memory.
/// </summary>
public sealed class DemoShop
{
    private const int CustomerCount = 2_400;
    private const decimal TaxRate = 0.08m;
    private const decimal PresentmentRate = 1.35m;
    private const string PresentmentCurrency = "CAD";

    private readonly SandboxShop _shop;
    private readonly DateOnly _firstDay;
    private readonly int[] _ordersPerDay;
    private readonly long[] _firstOrderNumber;
    private readonly DateTimeOffset _dataEnd;

    public DemoShop(SandboxShop shop, DateOnly lastDay)
    {
        _shop = shop;
        _firstDay = lastDay.AddDays(1 - shop.Days);
        _dataEnd = new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(-1);
        Products = DemoCatalog.Create(shop.Seed);
        _ordersPerDay = new int[shop.Days];
        _firstOrderNumber = new long[shop.Days];
        var random = new Random(shop.Seed);
        long next = 1001;
        for (var day = 0; day < shop.Days; day++)
        {
            var date = _firstDay.AddDays(day);
            var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 1.25 : 1.0;
            var season = 1.0 + 0.2 * Math.Sin(2 * Math.PI * date.DayOfYear / 365.0);
            var growth = 0.8 + 0.4 * day / Math.Max(1, shop.Days - 1);
            var noise = 0.85 + 0.3 * random.NextDouble();
            _ordersPerDay[day] = (int)Math.Round(shop.OrdersPerDay * weekend * season * growth * noise);
            _firstOrderNumber[day] = next;
            next += _ordersPerDay[day];
        }
    }

    public string Domain => _shop.Domain;
    public string CurrencyCode => _shop.CurrencyCode;
    public IReadOnlyList<DemoProduct> Products { get; }
    public DateOnly FirstDay => _firstDay;
    public long TotalOrders => _ordersPerDay.Sum(n => (long)n);

    /// <summary>Orders in creation order, each with its line items.</summary>
    public IEnumerable<DemoOrder> Orders()
    {
        for (var day = 0; day < _ordersPerDay.Length; day++)
            foreach (var order in OrdersOfDay(day))
                yield return order;
    }

    private IEnumerable<DemoOrder> OrdersOfDay(int day)
    {
        var random = new Random(unchecked(_shop.Seed * 1_000_003 + day));
        var date = _firstDay.AddDays(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var count = _ordersPerDay[day];
        var seconds = Enumerable.Range(0, count).Select(_ => random.Next(0, 86_400)).Order().ToArray();
        for (var i = 0; i < count; i++)
        {
            var number = _firstOrderNumber[day] + i;
            var createdAt = new DateTimeOffset(date.AddSeconds(seconds[i]), TimeSpan.Zero);
            yield return CreateOrder(random, number, createdAt);
        }
    }

    private DemoOrder CreateOrder(Random random, long number, DateTimeOffset createdAt)
    {
        var presentment = random.NextDouble() < 0.1 ? PresentmentCurrency : _shop.CurrencyCode;
        var rate = presentment == _shop.CurrencyCode ? 1m : PresentmentRate;
        var lines = new List<DemoLineItem>();
        var lineCount = 1 + random.Next(0, 100) switch { < 55 => 0, < 85 => 1, < 95 => 2, _ => 3 };
        for (var l = 0; l < lineCount; l++)
        {
            var product = Products[random.Next(Products.Count)];
            var variant = product.Variants[random.Next(product.Variants.Count)];
            var quantity = 1 + random.Next(0, 100) switch { < 70 => 0, < 90 => 1, _ => 2 };
            var discount = random.NextDouble() < 0.15 ? Math.Round(variant.Price * quantity * 0.1m, 2) : 0m;
            lines.Add(new DemoLineItem(number * 10 + l, product, variant, quantity, discount));
        }

        var subtotal = lines.Sum(l => l.Variant.Price * l.Quantity - l.Discount);
        var discounts = lines.Sum(l => l.Discount);
        var shipping = subtotal >= 75m ? 0m : 5.99m;
        var tax = Math.Round(subtotal * TaxRate, 2);
        var total = subtotal + shipping + tax;
        var cancelled = random.NextDouble() < 0.02;
        var test = random.NextDouble() < 0.01;
        var fulfilled = !cancelled && random.NextDouble() < 0.9;
        var updatedAt = createdAt.AddMinutes(random.Next(1, 3 * 24 * 60));
        if (updatedAt > _dataEnd) updatedAt = _dataEnd;

        return new DemoOrder(
            Id: number,
            Name: $"#{number}",
            CreatedAt: createdAt,
            UpdatedAt: updatedAt,
            CancelledAt: cancelled ? createdAt.AddHours(2) : null,
            Test: test,
            SourceName: random.NextDouble() < 0.8 ? "web" : "pos",
            FinancialStatus: cancelled ? "VOIDED" : "PAID",
            FulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
            CurrencyCode: _shop.CurrencyCode,
            PresentmentCurrencyCode: presentment,
            PresentmentRate: rate,
            CustomerId: 1 + random.Next(CustomerCount),
            Subtotal: subtotal,
            Discounts: discounts,
            Shipping: shipping,
            Tax: tax,
            Total: total,
            LineItems: lines);
    }
}

public sealed record DemoOrder(
    long Id,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CancelledAt,
    bool Test,
    string SourceName,
    string FinancialStatus,
    string FulfillmentStatus,
    string CurrencyCode,
    string PresentmentCurrencyCode,
    decimal PresentmentRate,
    long CustomerId,
    decimal Subtotal,
    decimal Discounts,
    decimal Shipping,
    decimal Tax,
    decimal Total,
    IReadOnlyList<DemoLineItem> LineItems);

public sealed record DemoLineItem(long Id, DemoProduct Product, DemoVariant Variant, int Quantity, decimal Discount);
