using System.Security.Cryptography;
using System.Text;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Tests;

/// <summary>Products, variants, inventory and customers, read from lines in the shape of Shopify's bulk JSONL.</summary>
public sealed class EntityParserTests
{
    private static BulkLineParser.Result Line(int index) => BulkLineParser.Parse(Lines()[index], index + 1);

    private static byte[][] Lines() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "catalog_inventory_customers.jsonl")).Select(Encoding.UTF8.GetBytes).ToArray();

    [Fact]
    public void A_variant_names_its_product_keeps_its_price_as_text_and_links_its_inventory_item()
    {
        var variant = Assert.IsType<BulkLineParser.Variant>(Line(0)).Record;
        Assert.Equal((19435458986040L, 1921569226808L), (variant.VariantId, variant.ProductId));
        Assert.Equal(("TEE-70", "12.50", 9, 30322695L), (variant.Sku, variant.Price, variant.InventoryQuantity, variant.InventoryItemId!.Value));
    }

    [Fact]
    public void A_product_keeps_its_title_vendor_type_status_and_times()
    {
        var product = Assert.IsType<BulkLineParser.Product>(Line(1)).Record;
        Assert.Equal((1921569226808L, "Cotton Tee", "Keel & Co", "Shirts", "ACTIVE"),
            (product.ProductId, product.Title, product.Vendor, product.ProductType, product.Status));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), product.UpdatedAt);
    }

    [Fact]
    public void An_inventory_level_gives_the_available_quantity_at_its_location_under_its_item()
    {
        var level = Assert.IsType<BulkLineParser.InventoryLevel>(Line(2)).Record;
        Assert.Equal((30322695L, 346779380L, 6), (level.InventoryItemId, level.LocationId, level.Available));
        var item = Assert.IsType<BulkLineParser.InventoryItem>(Line(3)).Record;
        Assert.Equal((30322695L, 19435458986040L), (item.InventoryItemId, item.VariantId!.Value));
    }

    [Fact]
    public void A_customer_keeps_counts_and_money_but_its_e_mail_only_as_a_sha256()
    {
        var hashed = Assert.IsType<BulkLineParser.Customer>(Line(5)).Record;
        Assert.Equal((544365967L, 3L, 37510L, "USD", "ENABLED"),
            (hashed.CustomerId, hashed.NumberOfOrders, hashed.AmountSpentMinor, hashed.CurrencyCode, hashed.State));
        Assert.Equal("b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72", hashed.EmailSha256);

        // A plain address that slipped through is hashed here, never kept.
        var plain = Assert.IsType<BulkLineParser.Customer>(Line(6)).Record;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("bob@example.com"u8)), plain.EmailSha256);
        Assert.Equal(0L, plain.AmountSpentMinor);
    }

    [Fact]
    public void An_order_carries_its_refunds_on_their_own_date_and_its_fulfillments()
    {
        var order = Assert.IsType<BulkLineParser.Order>(Line(7)).Record;
        var refund = Assert.Single(order.Refunds);
        Assert.Equal((929361462L, 1010L, 1080L, "USD"), (refund.RefundId, refund.OrderId, refund.AmountMinor, refund.CurrencyCode));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 10, 0, 0, TimeSpan.Zero), refund.CreatedAt);
        Assert.Equal(order.UpdatedAt, refund.OrderUpdatedAt);
        var fulfillment = Assert.Single(order.Fulfillments);
        Assert.Equal((255858046L, "SUCCESS"), (fulfillment.FulfillmentId, fulfillment.Status));
    }

    [Theory]
    [InlineData("""{"__typename":"InventoryLevel","id":"gid://shopify/InventoryLevel/1","location":{"id":"gid://shopify/Location/2"},"quantities":["""
        + """{"name":"on_hand","quantity":4}],"__parentId":"gid://shopify/InventoryItem/3"}""", "available")]
    [InlineData("""{"__typename":"ProductVariant","id":"gid://shopify/ProductVariant/1","price":"twelve","__parentId":"gid://shopify/Product/2"}""", "twelve")]
    [InlineData("""{"__typename":"Customer","id":"gid://shopify/Customer/1","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01"""
        + """T00:00:00Z","numberOfOrders":"-3"}""", "UnsignedInt64")]
    [InlineData("""{"__typename":"Order","id":"gid://shopify/Order/1","name":"#1","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01"""
        + """T00:00:00Z","currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"1.00","currencyCode":"USD"}},"refunds":["""
        + """{"id":"gid://shopify/Refund/1","createdAt":"2026-01-02T00:00:00Z","totalRefundedSet":{"shopMoney":"""
        + """{"amount":"1.00","currencyCode":"EUR"}}}]}""", "EUR")]
    [InlineData("""{"__typename":"Product","id":"gid://shopify/Product/1","title":{"en":"x"},"updatedAt":"2026-01-01T00:00:00Z"}""", "string")]
    public void A_record_that_is_json_but_not_valid_is_rejected_with_its_reason(string line, string reason) =>
        Assert.Contains(reason, Assert.IsType<BulkLineParser.Rejected>(BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), 3)).Record.Reason);

    [Theory]
    [InlineData("""{"__typename":"Product","id":"gid://shopify/Product/1",""")]
    [InlineData("""{"__typename":"Product"} {"id":1}""")]
    [InlineData("""[1,2]""")]
    public void A_line_that_is_not_one_json_object_stops_the_load_with_its_number(string line) =>
        Assert.Equal(12, Assert.Throws<MalformedLineException>(() => BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), 12)).LineNumber);

    [Theory]
    [InlineData("""{"__typename":"Order","id":"gid://shopify/Order/1","name":"#1","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01"""
        + """T00:00:00Z","currencyCode":"USD","test":{"odd":[1]},"totalPriceSet":{"shopMoney":{"amount":"1.00","currencyCode":"USD"}}}""")]
    [InlineData("""{"__typename":"InventoryLevel","id":"gid://shopify/InventoryLevel/1","location":{"id":"gid://shopify/Location/2"},"quantities":[{"name":"""
        + """{"x":1},"quantity":4},{"name":"available","quantity":3}],"__parentId":"gid://shopify/InventoryItem/3"}""")]
    [InlineData("""{"__typename":"Order","id":"gid://shopify/Order/1","name":"#1","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01"""
        + """T00:00:00Z","currencyCode":"USD","totalPriceSet":{"shop\u004Doney":{"amount":"1.00","currencyCode":"USD"}}}""")]
    public void A_valid_line_with_an_odd_value_is_read_not_taken_for_malformed_json(string line) =>
        Assert.IsNotType<BulkLineParser.Rejected>(BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), 1));

    [Fact]
    public void Escaped_strings_are_read_unescaped()
    {
        var product = Assert.IsType<BulkLineParser.Product>(BulkLineParser.Parse(
            """{"__typename":"Product","id":"gid://shopify/Product/1","title":"Saw \u0026 \"Blade\"","updatedAt":"2026-01-01T00:00:00Z"}"""u8, 1)).Record;
        Assert.Equal("Saw & \"Blade\"", product.Title);
    }
}
