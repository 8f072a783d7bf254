extern alias connector;

using System.Security.Cryptography;
using connector::GrowthOs.Connector.Extraction;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify;

namespace GrowthOs.Sandbox.Tests;

public sealed class DemoShopTests
{
    private static readonly DateOnly Anchor = new(2026, 11, 21);

    private static DemoShop Shop(int seed = 42, int days = 180) =>
        new(new SandboxShop { Domain = "demo-shop.myshopify.com", AccessToken = "t", Seed = seed, Days = days, OrdersPerDay = 30 }, Anchor);

    /// <summary>The file the Sandbox answers to the Connector's own bulk query of orders.</summary>
    private static Task WriteOrders(DemoShop shop, Stream output, int? shuffleSeed = null) =>
        BulkResults.WriteFile(shop, "2026-01", BulkQueries.For(Entities.Orders, null, null, null), output, shuffleSeed, keep: null, CancellationToken.None);

    private static async Task<string> Hash(DemoShop shop)
    {
        var output = new MemoryStream();
        await WriteOrders(shop, output);
        return Convert.ToHexString(SHA256.HashData(output.ToArray()));
    }

    [Fact]
    public async Task The_same_seed_and_anchor_give_the_same_file_byte_for_byte() =>
        Assert.Equal(await Hash(Shop()), await Hash(Shop()));

    [Fact]
    public async Task Shuffled_output_holds_the_same_lines_with_children_often_before_their_parent()
    {
        var shop = Shop(days: 20);
        var ordered = new MemoryStream();
        var shuffled = new MemoryStream();
        await WriteOrders(shop, ordered);
        await WriteOrders(shop, shuffled, shuffleSeed: 42);

        var orderedLines = System.Text.Encoding.UTF8.GetString(ordered.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var shuffledLines = System.Text.Encoding.UTF8.GetString(shuffled.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(orderedLines.Order(), shuffledLines.Order());
        Assert.NotEqual(orderedLines, shuffledLines);

        var seen = new HashSet<string>();
        var childrenFirst = 0;
        foreach (var line in shuffledLines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("__parentId", out var parent)) { if (!seen.Contains(parent.GetString()!)) childrenFirst++; }
            else seen.Add(json.RootElement.GetProperty("id").GetString()!);
        }
        Assert.True(childrenFirst > 10, $"only {childrenFirst} children came before their parent");
    }

    [Fact]
    public async Task Another_seed_gives_other_data() =>
        Assert.NotEqual(await Hash(Shop(seed: 42, days: 10)), await Hash(Shop(seed: 7, days: 10)));

    [Fact]
    public void The_last_week_of_data_is_planted_with_a_revenue_dip_of_more_than_30_percent_against_the_week_before()
    {
        var days = Shop().SalesDays();
        decimal Week(DateOnly last) => Enumerable.Range(0, 7).Sum(i => days.TryGetValue(last.AddDays(-i), out var day) ? day.Revenue : 0m);
        var (current, previous) = (Week(Anchor), Week(Anchor.AddDays(-7)));
        Assert.InRange(current / previous, 0.40m, 0.68m);
        // The week before it is not dipped: it is in line with the weeks before that.
        Assert.InRange(previous / Week(Anchor.AddDays(-14)), 0.85m, 1.15m);
    }

    [Fact]
    public void The_demo_shop_has_about_5400_orders_over_180_days_with_weekend_and_growth_variance()
    {
        var orders = Shop().Orders().ToList();
        Assert.InRange(orders.Count, 4_800, 6_000);
        Assert.Equal(Anchor.AddDays(-179), DateOnly.FromDateTime(orders[0].CreatedAt.UtcDateTime));
        Assert.Equal(Anchor, DateOnly.FromDateTime(orders[^1].CreatedAt.UtcDateTime));
        Assert.InRange(orders.Select(o => o.CustomerId).Distinct().Count(), 1_500, 2_400);
        Assert.Contains(orders, o => o.Test);
        Assert.Contains(orders, o => o.CancelledAt is not null);
        Assert.Contains(orders, o => o.PresentmentCurrencyCode != o.CurrencyCode);
        Assert.Contains(orders, o => o.Discounts > 0);

        var byDay = orders.GroupBy(o => DateOnly.FromDateTime(o.CreatedAt.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());
        var firstMonth = byDay.Where(d => d.Key < Anchor.AddDays(-150)).Average(d => d.Value);
        var lastMonth = byDay.Where(d => d.Key > Anchor.AddDays(-30)).Average(d => d.Value);
        Assert.True(lastMonth > firstMonth, $"orders should grow: {firstMonth:F1}/day then {lastMonth:F1}/day");
    }

    [Fact]
    public void No_order_is_created_or_updated_after_the_last_day_of_data()
    {
        var end = new DateTimeOffset(Anchor.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.All(Shop(days: 20).Orders(), o =>
        {
            Assert.True(o.CreatedAt < end);
            Assert.True(o.UpdatedAt < end && o.UpdatedAt >= o.CreatedAt);
        });
    }

    [Fact]
    public void Every_order_total_is_subtotal_plus_shipping_plus_tax()
    {
        foreach (var order in Shop(days: 30).Orders())
        {
            Assert.Equal(order.Subtotal + order.Shipping + order.Tax, order.Total);
            Assert.Equal(order.LineItems.Sum(l => l.Variant.Price * l.Quantity - l.Discount), order.Subtotal);
        }
    }

    [Fact]
    public void The_demo_shops_customers_fill_every_segment_as_a_small_shops_do()
    {
        var customers = Shop().Customers.Where(c => c.NumberOfOrders > 0).ToList();
        decimal Aov(DemoCustomer c) => c.AmountSpent / c.NumberOfOrders;
        // The segment thresholds of Marts:Segments' defaults: 5 orders and an AOV of 500; 3 and 200; 2; 1.
        var professional = customers.Count(c => c.NumberOfOrders >= 5 && Aov(c) >= 500m);
        var enthusiast = customers.Count(c => c.NumberOfOrders >= 3 && Aov(c) >= 200m && !(c.NumberOfOrders >= 5 && Aov(c) >= 500m));
        var once = customers.Count(c => c.NumberOfOrders == 1);

        Assert.InRange(professional, 20, 60);
        Assert.True(enthusiast >= 20, $"{enthusiast} enthusiast collectors");
        Assert.Contains(customers, c => c.NumberOfOrders == 2);
        // Most buyers of a small shop order once or twice; its best customers are few.
        Assert.True(once > customers.Count / 3, $"{once} of {customers.Count} customers ordered once");
        Assert.True(customers.Max(c => c.NumberOfOrders) <= 40, $"a customer with {customers.Max(c => c.NumberOfOrders)} orders");
    }

    [Fact]
    public void The_demo_shop_has_2400_customers_whose_counts_agree_with_their_orders()
    {
        var shop = Shop();
        var customers = shop.Customers;
        Assert.Equal(2_400, customers.Count);
        var orders = shop.Orders().Where(o => !o.Test).GroupBy(o => o.CustomerId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(customers, c => Assert.Equal(orders.GetValueOrDefault(c.Id), c.NumberOfOrders));
        Assert.All(customers, c => Assert.True(c.UpdatedAt >= c.CreatedAt));
        Assert.Contains(customers, c => c.NumberOfOrders >= 5);
        Assert.Contains(customers, c => c.State != "ENABLED");
    }

    [Fact]
    public void Every_variant_is_stocked_at_two_or_more_locations_and_every_stock_status_appears()
    {
        var variants = Shop().Products.SelectMany(p => p.Variants).ToList();
        Assert.All(variants, v => Assert.InRange(v.InventoryItem.Levels.Select(l => l.Location.Id).Distinct().Count(), 2, 3));
        Assert.Contains(variants, v => v.InventoryQuantity == 0);
        Assert.Contains(variants, v => v.InventoryQuantity is > 0 and <= 5);
        Assert.Contains(variants, v => v.InventoryQuantity >= 400);
    }

    [Fact]
    public void Refunds_come_days_after_their_order_and_some_orders_are_fulfilled_in_part()
    {
        var orders = Shop().Orders().ToList();
        var refunded = orders.Where(o => o.Refunds.Count > 0).ToList();
        Assert.InRange(refunded.Count, 100, 600);
        Assert.All(refunded, o => Assert.True(o.Refunds[0].CreatedAt.Date > o.CreatedAt.Date && o.UpdatedAt >= o.Refunds[0].CreatedAt));
        Assert.All(refunded, o => Assert.Equal(o.Refunds.Sum(r => r.Amount), o.Refunded));
        Assert.Contains(orders, o => o.FulfillmentStatus == "PARTIALLY_FULFILLED");
        Assert.Contains(orders, o => o.Fulfillments.Count == 2);
        Assert.All(orders.Where(o => o.CancelledAt is not null), o => Assert.Empty(o.Refunds));
    }

    [Fact]
    public async Task Orders_are_paid_through_Shopify_Payments_with_its_fees_or_a_gateway_whose_fees_Shopify_does_not_know_and_carry_their_codes()
    {
        var shop = Shop(days: 30);
        var output = new MemoryStream();
        await WriteOrders(shop, output);
        var orders = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .Where(line => line.GetProperty("__typename").GetString() == "Order").ToList();
        var (shopifyPayments, paypal) = (0, 0);
        foreach (var order in orders)
        {
            var transactions = order.GetProperty("transactions").EnumerateArray().ToList();
            var first = transactions[0];
            var total = decimal.Parse(order.GetProperty("totalPriceSet").GetProperty("shopMoney").GetProperty("amount").GetString()!,
                System.Globalization.CultureInfo.InvariantCulture);
            // A discounted order came with one code; any other with none.
            var discounted = order.GetProperty("totalDiscountsSet").GetProperty("shopMoney").GetProperty("amount").GetString() != "0.00";
            Assert.Equal(discounted ? 1 : 0, order.GetProperty("discountCodes").GetArrayLength());
            if (order.GetProperty("cancelledAt").ValueKind != System.Text.Json.JsonValueKind.Null)
            {
                Assert.Equal(["AUTHORIZATION", "VOID"], transactions.Select(t => t.GetProperty("kind").GetString()));
                continue;
            }
            Assert.Equal(("SALE", "SUCCESS"), (first.GetProperty("kind").GetString(), first.GetProperty("status").GetString()));
            var fees = first.GetProperty("fees").EnumerateArray().ToList();
            if (first.GetProperty("gateway").GetString() == "paypal")
            {
                paypal++;
                Assert.Empty(fees);
                continue;
            }
            shopifyPayments++;
            var fee = Assert.Single(fees).GetProperty("amount");
            Assert.Equal("USD", fee.GetProperty("currencyCode").GetString());
            var (rate, flat) = order.GetProperty("sourceName").GetString() == "pos" ? (0.027m, 0m) : (0.029m, 0.30m);
            Assert.Equal(Math.Round(total * rate + flat, 2, MidpointRounding.AwayFromZero).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                fee.GetProperty("amount").GetString());
            // A refund is a REFUND transaction, on which no fee is returned.
            Assert.All(transactions.Skip(1), t => Assert.Equal(("REFUND", 0), (t.GetProperty("kind").GetString(), t.GetProperty("fees").GetArrayLength())));
        }
        Assert.InRange(paypal, shopifyPayments / 10, shopifyPayments / 4);
    }
}
