namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// A deterministic demo shop: the same seed, time zone and anchor date give the same orders, products, stock and
/// customers, byte for byte. Its days are the shop's own (midnight to midnight in its IANA time zone, as Shopify's
/// <c>ianaTimezone</c>), so what it plants on its last days falls on the reporting days of a shop reporting in its zone.
/// Each day is generated from its own random stream, so a day can be produced without holding any other in memory.
/// Refunds (often days after their order) and fulfillments come from a hash of the order, not the stream.
/// </summary>
public sealed class DemoShop
{
    private const int CustomerCount = 2_400;

    /// <summary>
    /// Who buys, as in a small real shop: a few trade buyers (workshops, small shops) order often and in bulk, some
    /// regulars come back, and most customers order once or twice.
    /// </summary>
    private const int TradeCustomers = 40;
    private const double TradeOrderShare = 0.07;
    private const int RegularCustomers = 500;
    private const double RegularOrderShare = 0.3;
    private const decimal TaxRate = 0.08m;

    /// <summary>
    /// Planted for the revenue-drop alert to find: the last 7 days of data (the shop's own days, so with the anchor at
    /// its yesterday, the KPIs' default period) bring in this share of the week before's revenue, a dip of 45 %. Those
    /// days are drawn as any other, then only as many of their orders are placed as the dip lets in (the others are not
    /// placed, and the placed ones numbered on without a gap), so the dip holds exactly whatever the seed and the noise.
    /// </summary>
    public const int PlantedDipDays = 7;
    public const decimal PlantedDipShare = 0.55m;

    /// <summary>
    /// Planted for the fast-mover rule: this share of orders have the sold-out best seller
    /// (<see cref="DemoCatalog.PlantedFastMoverVariantId"/>) as their first line, so it sells above a unit a day in a
    /// shop of 8 orders a day or more.
    /// </summary>
    public const double PlantedFastMoverShare = 0.2;

    /// <summary>
    /// Planted for inventory against fulfillment: the orders of the last <see cref="BackorderedDays"/> days whose first line is
    /// the sold-out best seller wait unfulfilled for it (backordered), so they are late after two days.
    /// </summary>
    public const int BackorderedDays = 4;
    private const decimal PresentmentRate = 1.35m;
    private const string PresentmentCurrency = "CAD";

    private readonly SandboxShop _shop;
    private readonly TimeZoneInfo _zone;
    private readonly DateOnly _firstDay;
    private readonly int[] _ordersPerDay;
    private readonly long[] _firstOrderNumber;
    private readonly DateTimeOffset _dataEnd;
    private readonly (DemoProduct Product, DemoVariant Variant) _fastMover;
    private readonly Lazy<IReadOnlyList<DemoCustomer>> _customers;
    private readonly Lazy<IReadOnlyDictionary<DateOnly, DemoSalesDay>> _salesDays;
    private readonly DemoSalesDay?[] _salesDay;
    private readonly Lazy<DipPlan> _dip;

    public DemoShop(SandboxShop shop, DateOnly lastDay)
    {
        _shop = shop;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(shop.TimeZone);
        _firstDay = lastDay.AddDays(1 - shop.Days);
        _dataEnd = StartOf(lastDay.AddDays(1)).AddSeconds(-1);
        Products = DemoCatalog.Create(shop.Seed, StartOf(_firstDay), _dataEnd);
        _fastMover = Products.SelectMany(p => p.Variants.Select(v => (p, v))).Single(x => x.v.Id == DemoCatalog.PlantedFastMoverVariantId);
        _customers = new Lazy<IReadOnlyList<DemoCustomer>>(CreateCustomers);
        _salesDays = new Lazy<IReadOnlyDictionary<DateOnly, DemoSalesDay>>(() => Enumerable.Range(0, shop.Days)
            .Select(day => SalesDay(_firstDay.AddDays(day))!)
            .Where(d => d.Orders > 0)
            .ToDictionary(d => d.Date));
        _salesDay = new DemoSalesDay?[shop.Days];
        _dip = new Lazy<DipPlan>(PlanDip);
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
    public DateOnly LastDay => DayOf(_dataEnd);
    public DateTimeOffset DataEnd => _dataEnd;

    /// <summary>The shop's day an instant falls on.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _zone).DateTime);

    /// <summary>
    /// The instant the shop's day begins: its local midnight, or the first moment after it where a clock change skips
    /// midnight.
    /// </summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (_zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, _zone), TimeSpan.Zero);
    }
    public IEnumerable<DemoInventoryItem> InventoryItems => Products.SelectMany(p => p.Variants).Select(v => v.InventoryItem);

    /// <summary>The shop's customers; their order counts and amounts spent agree with <see cref="Orders"/> (one pass, then kept).</summary>
    public IReadOnlyList<DemoCustomer> Customers => _customers.Value;
    public long TotalOrders => _ordersPerDay.Sum(n => (long)n) - _dip.Value.Unplaced;

    /// <summary>Each day's counted orders (not test, not cancelled) and their revenue, by the shop's day of creation (one pass, then kept).</summary>
    public IReadOnlyDictionary<DateOnly, DemoSalesDay> SalesDays() => _salesDays.Value;

    /// <summary>
    /// One day's counted orders and their revenue, from that day's orders alone (then kept); null for a day outside the
    /// data.
    /// </summary>
    public DemoSalesDay? SalesDay(DateOnly date)
    {
        var day = date.DayNumber - _firstDay.DayNumber;
        if (day < 0 || day >= _ordersPerDay.Length) return null;
        return _salesDay[day] ??= Summarize(date, OrdersOfDay(day));

        static DemoSalesDay Summarize(DateOnly date, IEnumerable<DemoOrder> orders)
        {
            var counted = orders.Where(Counted).ToList();
            return new DemoSalesDay(date, counted.Count, counted.Sum(o => o.Total));
        }
    }

    /// <summary>The orders created on the shop's days from <paramref name="from"/> to <paramref name="to"/> (inclusive), in creation order.</summary>
    public IEnumerable<DemoOrder> OrdersOfDays(DateOnly from, DateOnly to)
    {
        for (var day = Math.Max(0, from.DayNumber - _firstDay.DayNumber); day < _ordersPerDay.Length && _firstDay.AddDays(day) <= to; day++)
            foreach (var order in OrdersOfDay(day))
                yield return order;
    }

    /// <summary>Orders in creation order, each with its line items.</summary>
    public IEnumerable<DemoOrder> Orders()
    {
        for (var day = 0; day < _ordersPerDay.Length; day++)
            foreach (var order in OrdersOfDay(day))
                yield return order;
    }

    /// <summary>A day's placed orders: every order drawn, except on the dip's days, where the dip's plan says which are placed and their numbers.</summary>
    private IEnumerable<DemoOrder> OrdersOfDay(int day)
    {
        if (day < _ordersPerDay.Length - PlantedDipDays || _dip.Value.Placed is not { } placed) return DrawnOrdersOfDay(day);
        return DrawnOrdersOfDay(day).Where(o => placed.ContainsKey(o.Id)).Select(o => Renumbered(o, placed[o.Id]));
    }

    /// <summary>Which orders drawn on the dip's days are placed (by drawn number, with the number each gets), and how many are not.</summary>
    private sealed record DipPlan(IReadOnlyDictionary<long, long>? Placed, long Unplaced);

    /// <summary>
    /// The dip's days' counted orders are placed in an order of their own (a hash of each) while their revenue stays
    /// within <see cref="PlantedDipShare"/> of the week before's; test and cancelled orders, which count for no revenue,
    /// are placed in the same share. No dip is planted on a shop of fewer than two weeks.
    /// </summary>
    private DipPlan PlanDip()
    {
        var first = _ordersPerDay.Length - PlantedDipDays;
        if (first < PlantedDipDays) return new DipPlan(null, 0);
        var weekBefore = Enumerable.Range(first - PlantedDipDays, PlantedDipDays).SelectMany(DrawnOrdersOfDay).Where(Counted).Sum(o => o.Total);
        var drawn = Enumerable.Range(first, PlantedDipDays).SelectMany(DrawnOrdersOfDay).ToList();
        var room = weekBefore * PlantedDipShare;
        var placed = new HashSet<long>();
        foreach (var order in drawn.OrderBy(o => Unit(o.Id, 16)))
        {
            if (!Counted(order))
            {
                if (Unit(order.Id, 17) < (double)PlantedDipShare) placed.Add(order.Id);
                continue;
            }
            if (order.Total > room) continue;
            room -= order.Total;
            placed.Add(order.Id);
        }
        var numbers = new Dictionary<long, long>(placed.Count);
        var next = _firstOrderNumber[first];
        foreach (var order in drawn.Where(o => placed.Contains(o.Id))) numbers[order.Id] = next++;
        return new DipPlan(numbers, drawn.Count - placed.Count);
    }

    /// <summary>An order that counts in the shop's sales: not a test, not cancelled.</summary>
    private static bool Counted(DemoOrder order) => !order.Test && order.CancelledAt is null;

    /// <summary>An order, its lines, refunds and fulfillments under another number.</summary>
    private static DemoOrder Renumbered(DemoOrder order, long number) => order with
    {
        Id = number,
        Name = $"#{number}",
        LineItems = order.LineItems.Select((l, i) => l with { Id = number * 10 + i }).ToList(),
        Refunds = order.Refunds.Select(r => r with { Id = number * 10 }).ToList(),
        Fulfillments = order.Fulfillments.Select((f, i) => f with { Id = number * 10 + i }).ToList(),
        Transactions = order.Transactions.Select((t, i) => t with
        {
            Id = number * 10 + i,
            Fees = t.Fees.Select(f => f with { Id = number * 10 + i }).ToList(),
        }).ToList(),
    };

    private IEnumerable<DemoOrder> DrawnOrdersOfDay(int day)
    {
        var random = new Random(unchecked(_shop.Seed * 1_000_003 + day));
        var date = _firstDay.AddDays(day);
        var start = StartOf(date);
        var length = (int)(StartOf(date.AddDays(1)) - start).TotalSeconds;
        var count = _ordersPerDay[day];
        var seconds = Enumerable.Range(0, count).Select(_ => random.Next(0, length)).Order().ToArray();
        for (var i = 0; i < count; i++)
        {
            var number = _firstOrderNumber[day] + i;
            var createdAt = start.AddSeconds(seconds[i]);
            yield return CreateOrder(random, number, createdAt);
        }
    }

    private DemoOrder CreateOrder(Random random, long number, DateTimeOffset createdAt)
    {
        var trade = Unit(number, 11) < TradeOrderShare;
        var presentment = random.NextDouble() < 0.1 ? PresentmentCurrency : _shop.CurrencyCode;
        var rate = presentment == _shop.CurrencyCode ? 1m : PresentmentRate;
        var lines = new List<DemoLineItem>();
        var lineCount = 1 + random.Next(0, 100) switch { < 55 => 0, < 85 => 1, < 95 => 2, _ => 3 };
        for (var l = 0; l < lineCount; l++)
        {
            var (product, variant) = l == 0 && Unit(number, 15) < PlantedFastMoverShare ? _fastMover : Pick(random);
            var quantity = 1 + random.Next(0, 100) switch { < 70 => 0, < 90 => 1, _ => 2 } + (trade ? 3 : 0);
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
        if (lines[0].Variant.Id == DemoCatalog.PlantedFastMoverVariantId && createdAt > _dataEnd.AddDays(-BackorderedDays)) fulfilled = false;
        var updatedAt = createdAt.AddMinutes(random.Next(1, 3 * 24 * 60));

        var fulfillments = new List<DemoFulfillment>();
        var fulfillmentStatus = "UNFULFILLED";
        if (fulfilled)
        {
            var partial = lines.Count >= 2 && Unit(number, 1) < 0.2;
            var shipments = partial ? 1 : lines.Count >= 2 && Unit(number, 2) < 0.3 ? 2 : 1;
            for (var f = 0; f < shipments; f++)
            {
                var at = createdAt.AddHours(2 + f * 30 + Unit(number, 3 + f) * 40);
                if (at <= _dataEnd) fulfillments.Add(new DemoFulfillment(number * 10 + f, "SUCCESS", at));
            }
            fulfillmentStatus = fulfillments.Count == 0 ? "UNFULFILLED" : partial || fulfillments.Count < shipments ? "PARTIALLY_FULFILLED" : "FULFILLED";
        }

        // About one order in sixteen has its first line refunded in full, one to twenty days later; one not yet due has not happened.
        var refunds = new List<DemoRefund>();
        var refundedLine = -1;
        if (!cancelled && Unit(number, 6) < 0.0625)
        {
            var at = createdAt.AddDays(1 + (int)(Unit(number, 7) * 20)).AddMinutes(Unit(number, 8) * 600);
            if (at <= _dataEnd)
            {
                var line = lines[0];
                var amount = line.Variant.Price * line.Quantity - line.Discount;
                refunds.Add(new DemoRefund(number * 10, at, amount + Math.Round(amount * TaxRate, 2)));
                refundedLine = 0;
            }
        }
        var refunded = refunds.Sum(r => r.Amount);
        var financialStatus = cancelled ? "VOIDED" : refunded == 0 ? "PAID" : refunded >= total ? "REFUNDED" : "PARTIALLY_REFUNDED";

        var sourceName = random.NextDouble() < 0.8 ? "web" : "pos";
        var transactions = Transactions(number, createdAt, cancelled ? createdAt.AddHours(2) : null, sourceName, total, refunds);

        foreach (var at in fulfillments.Select(f => f.CreatedAt).Concat(refunds.Select(r => r.CreatedAt)))
            if (at > updatedAt) updatedAt = at;
        if (updatedAt > _dataEnd) updatedAt = _dataEnd;

        return new DemoOrder(
            Id: number,
            Name: $"#{number}",
            CreatedAt: createdAt,
            UpdatedAt: updatedAt,
            CancelledAt: cancelled ? createdAt.AddHours(2) : null,
            Test: test,
            SourceName: sourceName,
            FinancialStatus: financialStatus,
            FulfillmentStatus: fulfillmentStatus,
            CurrencyCode: _shop.CurrencyCode,
            PresentmentCurrencyCode: presentment,
            PresentmentRate: rate,
            CustomerId: CustomerOf(number, trade, random.Next(CustomerCount)),
            Subtotal: subtotal,
            Discounts: discounts,
            Shipping: shipping,
            Tax: tax,
            Total: total,
            Refunded: refunded,
            LineItems: refundedLine < 0 ? lines : lines.Select((l, i) => i == refundedLine ? l with { RefundedQuantity = l.Quantity } : l).ToList(),
            Refunds: refunds,
            Fulfillments: fulfillments,
            Transactions: transactions,
            // A discounted order came with a code: a welcome code for about two in five, the shop's standing code otherwise.
            DiscountCodes: discounts > 0 ? [Unit(number, 22) < 0.4 ? "WELCOME10" : "SAVE10"] : []);
    }

    /// <summary>
    /// How an order was paid: a cancelled one was authorized and voided; any other was sold, through Shopify Payments
    /// (2.9 % + 0.30 online, 2.7 % in person, the fee rounded to the cent) or, for about one web order in seven,
    /// through PayPal, whose fees Shopify does not know; each refund is a REFUND, on which no fee is returned.
    /// </summary>
    private List<DemoTransaction> Transactions(long number, DateTimeOffset createdAt, DateTimeOffset? cancelledAt, string sourceName,
        decimal total, IReadOnlyList<DemoRefund> refunds)
    {
        if (cancelledAt is { } voided)
            return
            [
                new DemoTransaction(number * 10, "AUTHORIZATION", "SUCCESS", "shopify_payments", createdAt, total, []),
                new DemoTransaction(number * 10 + 1, "VOID", "SUCCESS", "shopify_payments", voided, total, []),
            ];
        var inPerson = sourceName == "pos";
        var paypal = !inPerson && Unit(number, 21) < 1.0 / 7;
        var (rate, flat) = inPerson ? (0.027m, 0m) : (0.029m, 0.30m);
        IReadOnlyList<DemoTransactionFee> fees = paypal
            ? []
            : [new DemoTransactionFee(number * 10, Math.Round(total * rate + flat, 2, MidpointRounding.AwayFromZero), flat,
                inPerson ? "In-person flat fee" : "Online flat fee", rate, inPerson ? "In-person rate" : "Online rate", "payment")];
        var transactions = new List<DemoTransaction>
        {
            new(number * 10, "SALE", "SUCCESS", paypal ? "paypal" : "shopify_payments", createdAt, total, fees),
        };
        foreach (var refund in refunds)
            transactions.Add(new DemoTransaction(number * 10 + transactions.Count, "REFUND", "SUCCESS", transactions[0].Gateway, refund.CreatedAt,
                refund.Amount, []));
        return transactions;
    }

    private (DemoProduct, DemoVariant) Pick(Random random)
    {
        var product = Products[random.Next(Products.Count)];
        return (product, product.Variants[random.Next(product.Variants.Count)]);
    }

    private double Unit(long orderNumber, int salt) => DemoCatalog.Unit(_shop.Seed, orderNumber, salt);

    /// <summary>A trade buyer's order goes to one of the first ids, a regular's to the next ones, any other to anyone else.</summary>
    private long CustomerOf(long orderNumber, bool trade, int drawn)
    {
        if (trade) return 1 + (int)(Unit(orderNumber, 12) * TradeCustomers);
        if (Unit(orderNumber, 13) < RegularOrderShare) return 1 + TradeCustomers + (int)(Unit(orderNumber, 14) * RegularCustomers);
        return 1 + TradeCustomers + drawn % (CustomerCount - TradeCustomers);
    }

    private IReadOnlyList<DemoCustomer> CreateCustomers()
    {
        var count = new int[CustomerCount + 1];
        var spent = new decimal[CustomerCount + 1];
        var first = new DateTimeOffset?[CustomerCount + 1];
        var last = new DateTimeOffset?[CustomerCount + 1];
        foreach (var order in Orders())
        {
            if (order.Test) continue;
            var id = (int)order.CustomerId;
            count[id]++;
            if (order.CancelledAt is null) spent[id] += order.Total - order.Refunded;
            first[id] ??= order.CreatedAt;
            last[id] = order.UpdatedAt > (last[id] ?? DateTimeOffset.MinValue) ? order.UpdatedAt : last[id];
        }

        var start = StartOf(_firstDay);
        var customers = new List<DemoCustomer>(CustomerCount);
        for (var id = 1; id <= CustomerCount; id++)
        {
            var u = DemoCatalog.Unit(_shop.Seed, -id, 1);
            var createdAt = first[id] is { } firstOrder
                ? firstOrder.AddMinutes(-u * 60 * 24 * 30)
                : start.AddSeconds(u * (_dataEnd - start).TotalSeconds);
            var updatedAt = last[id] is { } lastOrder && lastOrder > createdAt ? lastOrder : createdAt;
            var state = DemoCatalog.Unit(_shop.Seed, -id, 2) switch { < 0.7 => "ENABLED", < 0.9 => "DISABLED", < 0.97 => "INVITED", _ => "DECLINED" };
            customers.Add(new DemoCustomer(id, createdAt, updatedAt, count[id], spent[id], _shop.CurrencyCode, state, $"customer{id}@example.com"));
        }
        return customers;
    }
}
