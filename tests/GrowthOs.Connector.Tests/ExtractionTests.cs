using System.Text;
using GrowthOs.Connector.Extraction;

namespace GrowthOs.Connector.Tests;

public sealed class ExtractionTests
{
    [Theory]
    [InlineData("a\nb\nc\n", 3)]
    [InlineData("a\nb\nc", 3)]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    public async Task Lines_are_counted_as_the_stream_passes_through(string content, long lines)
    {
        await using var counting = new LineCountingStream(new MemoryStream(Encoding.UTF8.GetBytes(content)));
        var copy = new MemoryStream();
        await counting.CopyToAsync(copy, bufferSize: 2);
        Assert.Equal(lines, counting.Lines);
        Assert.Equal(content, Encoding.UTF8.GetString(copy.ToArray()));
    }

    [Theory]
    [InlineData("id")] [InlineData("name")] [InlineData("createdAt")] [InlineData("updatedAt")] [InlineData("processedAt")]
    [InlineData("cancelledAt")] [InlineData("test")] [InlineData("sourceName")] [InlineData("displayFinancialStatus")]
    [InlineData("displayFulfillmentStatus")] [InlineData("currencyCode")] [InlineData("presentmentCurrencyCode")]
    [InlineData("customer { id }")] [InlineData("subtotalPriceSet")] [InlineData("totalPriceSet")] [InlineData("totalDiscountsSet")]
    [InlineData("totalTaxSet")] [InlineData("totalShippingPriceSet")] [InlineData("totalRefundedSet")] [InlineData("lineItems")]
    [InlineData("sku")] [InlineData("title")] [InlineData("quantity")] [InlineData("currentQuantity")] [InlineData("originalUnitPriceSet")]
    [InlineData("totalDiscountSet")] [InlineData("product { id }")] [InlineData("variant { id }")] [InlineData("vendor")]
    [InlineData("__typename")] [InlineData("sortKey: UPDATED_AT")]
    public void The_orders_bulk_query_asks_for(string field) =>
        Assert.Contains(field, BulkQueries.For("orders", DateTimeOffset.UnixEpoch));

    [Fact]
    public void Money_is_asked_for_in_shop_and_presentment_currency() =>
        Assert.Contains("shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }", BulkQueries.For("orders", DateTimeOffset.UnixEpoch));

    [Fact]
    public void A_backfill_filters_on_creation_time_and_a_daily_sync_on_update_time()
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("created_at:>='2025-01-01T00:00:00Z' AND created_at:<'2025-07-01T00:00:00Z'",
            BulkQueries.SearchFilter(null, from, from.AddMonths(6)));
        Assert.Equal("updated_at:>='2025-01-01T00:00:00Z'", BulkQueries.SearchFilter(from, null, null));
        Assert.Contains("orders(query: \"created_at:>='2025-01-01T00:00:00Z'", BulkQueries.For("orders", null, from, null));
    }

    [Fact]
    public void An_entity_without_a_query_is_refused() =>
        Assert.Throws<ArgumentException>(() => BulkQueries.For("unicorns", DateTimeOffset.UnixEpoch));

    [Fact]
    public void Archive_keys_are_per_shop_entity_day_run_and_operation() =>
        Assert.Equal("raw/shopify/a.myshopify.com/orders/2026/11/22/0000000000000000000000000000002a-77.jsonl",
            ArchiveKeys.For("a.myshopify.com", "orders", new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero),
                new Guid("00000000-0000-0000-0000-00000000002a"), "gid://shopify/BulkOperation/77"));
}
