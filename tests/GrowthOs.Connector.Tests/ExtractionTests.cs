using System.Text;
using GrowthOs.Connector.Extraction;
using GrowthOs.ServiceDefaults.Privacy;

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
    [InlineData("id")]
    [InlineData("name")]
    [InlineData("createdAt")]
    [InlineData("updatedAt")]
    [InlineData("processedAt")]
    [InlineData("cancelledAt")]
    [InlineData("test")]
    [InlineData("sourceName")]
    [InlineData("displayFinancialStatus")]
    [InlineData("displayFulfillmentStatus")]
    [InlineData("currencyCode")]
    [InlineData("presentmentCurrencyCode")]
    [InlineData("customer { id }")]
    [InlineData("subtotalPriceSet")]
    [InlineData("totalPriceSet")]
    [InlineData("totalDiscountsSet")]
    [InlineData("totalTaxSet")]
    [InlineData("totalShippingPriceSet")]
    [InlineData("totalRefundedSet")]
    [InlineData("lineItems")]
    [InlineData("sku")]
    [InlineData("title")]
    [InlineData("quantity")]
    [InlineData("currentQuantity")]
    [InlineData("originalUnitPriceSet")]
    [InlineData("totalDiscountSet")]
    [InlineData("product { id }")]
    [InlineData("variant { id }")]
    [InlineData("vendor")]
    [InlineData("__typename")]
    [InlineData("sortKey: UPDATED_AT")]
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

public sealed class EntityQueryTests
{
    public static TheoryData<string> Entities => [.. GrowthOs.Contracts.Extraction.Entities.All];

    [Theory]
    [InlineData("refunds { id createdAt totalRefundedSet")]
    [InlineData("fulfillments { id status createdAt }")]
    [InlineData("transactions { id kind status gateway processedAt fees { amount { amount currencyCode } } }")]
    [InlineData("sourceName discountCodes")]
    public void The_orders_bulk_query_asks_for_refunds_fulfillments_and_payment_fees(string field) =>
        Assert.Contains(field, BulkQueries.For("orders", DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("products", "variants")]
    [InlineData("products", "price")]
    [InlineData("products", "sku")]
    [InlineData("products", "inventoryQuantity")]
    [InlineData("products", "inventoryItem { id }")]
    [InlineData("products", "sortKey: UPDATED_AT")]
    [InlineData("inventory", "inventoryItems(")]
    [InlineData("inventory", "inventoryLevels")]
    [InlineData("inventory", "location { id }")]
    [InlineData("inventory", "quantities(names: [\"available\"]) { name quantity }")]
    [InlineData("inventory", "variant { id }")]
    [InlineData("customers", "numberOfOrders")]
    [InlineData("customers", "amountSpent { amount currencyCode }")]
    [InlineData("customers", "state")]
    [InlineData("customers", "createdAt updatedAt")]
    [InlineData("customers", "defaultEmailAddress { emailAddress }")]
    public void Each_entity_query_asks_for(string entity, string field) =>
        Assert.Contains(field, BulkQueries.For(entity, DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("firstName")]
    [InlineData("lastName")]
    [InlineData("addresses")]
    [InlineData("defaultAddress")]
    [InlineData("phone")]
    public void The_customers_query_never_asks_for_names_addresses_or_phone(string field) =>
        Assert.DoesNotContain(field, BulkQueries.For("customers", DateTimeOffset.UnixEpoch));

    /// <summary>Shopify refuses a bulk query with more than five connections or connections nested more than two deep.</summary>
    [Theory]
    [MemberData(nameof(Entities))]
    public void Every_query_stays_within_shopifys_bulk_limits(string entity)
    {
        var query = BulkQueries.For(entity, DateTimeOffset.UnixEpoch);
        var depth = 0;
        var edgesDepths = new List<int>();
        var opened = new Stack<bool>();
        for (var i = 0; i < query.Length; i++)
        {
            if (query[i] == '{')
            {
                var isEdges = query[..i].TrimEnd().EndsWith("edges", StringComparison.Ordinal);
                opened.Push(isEdges);
                if (isEdges) edgesDepths.Add(++depth);
            }
            else if (query[i] == '}' && opened.Pop()) depth--;
        }
        Assert.InRange(edgesDepths.Count, 1, 5);
        Assert.InRange(edgesDepths.Max(), 1, 2);
        Assert.Contains("__typename", query);
    }

    [Fact]
    public void Inventory_is_read_whole_and_the_others_from_their_watermark()
    {
        Assert.Contains("inventoryItems(query: \"\")", BulkQueries.For("inventory", null, null, null));
        Assert.Contains("customers(query: \"updated_at:>='1970-01-01T00:00:00Z'\"", BulkQueries.For("customers", DateTimeOffset.UnixEpoch));
    }
}

public sealed class PersonalDataHashingTests
{
    private const string Customer =
        """{"__typename":"Customer","id":"gid://shopify/Customer/7","numberOfOrders":"2","defaultEmailAddress":"""
        + """{"emailAddress":"  Ada.Lovelace@Example.com "},"state":"ENABLED"}""";
    private const string Order = """{"__typename":"Order","id":"gid://shopify/Order/1","name":"#1001"}""";

    [Fact]
    public async Task E_mail_addresses_are_replaced_by_their_sha256_and_every_other_line_passes_untouched()
    {
        var input = $"{Order}\n{Customer}\nnot json with \"emailAddress\"\n{Order}";
        await using var hashed = PersonalDataHashing.Hashed(new MemoryStream(Encoding.UTF8.GetBytes(input)), CancellationToken.None);
        var output = await new StreamReader(hashed).ReadToEndAsync();
        var lines = output.Split('\n');

        Assert.Equal(4, lines.Length);
        Assert.Equal(Order, lines[0]);
        Assert.Equal(Order, lines[3]);
        Assert.Equal("not json with \"emailAddress\"", lines[2]);
        Assert.DoesNotContain("@", lines[1]);
        Assert.DoesNotContain("Lovelace", lines[1]);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ada.lovelace@example.com"u8));
        Assert.Contains($"\"emailAddressSha256\":\"{expected}\"", lines[1]);
        Assert.Contains("\"numberOfOrders\":\"2\"", lines[1]);
    }

    [Fact]
    public void An_uploaded_exports_e_mails_are_hashed_and_its_names_phones_and_addresses_removed_at_any_depth()
    {
        // An order as a hand-made export may hold it (Shopify's Order fields email, phone, shippingAddress, billingAddress,
        // customer { firstName lastName email }), none of which the Connector's own queries ask for.
        const string export = """
            {"__typename":"Order","id":"gid://shopify/Order/9","name":"#1009","email":"Grace@Example.com","phone":"+15551234567",
             "shippingAddress":{"address1":"1 Main St","city":"Springfield"},"billingAddress":{"address1":"1 Main St"},
             "customer":{"id":"gid://shopify/Customer/3","firstName":"Grace","lastName":"Hopper","displayName":"Grace Hopper","email":"grace@example.com",
             "addresses":[{"address1":"1 Main St"}]},"lineItems":[{"title":"Pro Saw","quantity":1}],"displayFinancialStatus":"PAID"}
            """;
        var line = Encoding.UTF8.GetString(PersonalDataHashing.HashLine(Encoding.UTF8.GetBytes(export.ReplaceLineEndings(""))));
        var order = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        var customer = order["customer"]!.AsObject();

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("grace@example.com"u8));
        Assert.Equal((expected, expected), ((string?)order["emailSha256"], (string?)customer["emailSha256"]));
        foreach (var plain in new[] { "@", "Grace", "Hopper", "Main St", "555" }) Assert.DoesNotContain(plain, line, StringComparison.Ordinal);
        Assert.Equal(["__typename", "id", "name", "customer", "lineItems", "displayFinancialStatus", "emailSha256"], order.Select(f => f.Key));
        Assert.Equal(["id", "emailSha256"], customer.Select(f => f.Key));
        Assert.Equal("Pro Saw", (string?)order["lineItems"]![0]!["title"]);
        // Hashing a hashed line changes nothing.
        Assert.Equal(line, Encoding.UTF8.GetString(PersonalDataHashing.HashLine(Encoding.UTF8.GetBytes(line))));
    }

    [Theory]
    // Airbyte's and Fivetran's Shopify exports spell Shopify's REST fields in snake_case; other tools capitalise them.
    [InlineData("""{"id":1,"email":"grace@example.com","first_name":"Grace","last_name":"Hopper","phone":"+15551234567","default_address":"""
        + """{"address1":"1 Main St","zip":"12345"}}""")]
    [InlineData("""{"Id":1,"Email":"grace@example.com","FirstName":"Grace","LastName":"Hopper","Phone":"+15551234567","ShippingAddress":"""
        + """{"Street":"1 Main St"}}""")]
    [InlineData("""{"id":1,"EMAIL_ADDRESS":"grace@example.com","FIRST-NAME":"Grace","surname":"Hopper","mobile_phone_number":"+1555"""
        + """1234567","billing_address":"1 Main St"}""")]
    [InlineData("""{"id":1,"customer":{"contact_email":"grace@example.com","display_name":"Grace Hopper","addresses":"""
        + """[{"street":"1 Main St"}],"phone_number":"+15551234567"}}""")]
    [InlineData("""{"id":1,"note_attributes":[{"name":"gift","value":"grace@example.com"}],"recipients":"""
        + """["grace@example.com"],"full_name":"Grace Hopper","tel_phone":"+15551234567"}""")]
    public void Personal_data_is_hashed_or_removed_in_any_spelling_of_its_field(string line)
    {
        var scrubbed = Encoding.UTF8.GetString(PersonalDataHashing.HashLine(Encoding.UTF8.GetBytes(line)));
        foreach (var plain in new[] { "@", "Grace", "Hopper", "Main St", "555" }) Assert.DoesNotContain(plain, scrubbed, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("grace@example.com"u8)), scrubbed);
        Assert.Contains("1", scrubbed);
        Assert.Equal(scrubbed, Encoding.UTF8.GetString(PersonalDataHashing.HashLine(Encoding.UTF8.GetBytes(scrubbed))));
    }

    [Fact]
    public void A_snake_case_e_mail_field_keeps_its_spelling_with_its_hash()
    {
        var scrubbed = System.Text.Json.Nodes.JsonNode.Parse(
            PersonalDataHashing.HashLine("""{"order_id":7,"contact_email":" Grace@Example.com ","name":"#1007"}"""u8))!.AsObject();
        Assert.Equal(["order_id", "name", "contact_email_sha256"], scrubbed.Select(f => f.Key));
        Assert.Equal("#1007", (string?)scrubbed["name"]);
    }

    [Fact]
    public async Task A_line_that_never_ends_is_refused_with_its_number_before_it_is_held_whole()
    {
        // Two good lines, then 9 MB without a newline: an upload built to exhaust memory.
        var source = new MemoryStream(Encoding.UTF8.GetBytes($"{Order}\n{Order}\n" + new string('x', 9 * 1024 * 1024)));
        await using var hashed = PersonalDataHashing.Hashed(source, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<GrowthOs.ServiceDefaults.Storage.LineTooLongException>(() => new StreamReader(hashed).ReadToEndAsync());
        Assert.Equal(3, refused.LineNumber);
        Assert.Contains("Line 3 runs past 8,388,608 bytes", refused.Message);
    }

    [Fact]
    public async Task A_large_file_streams_through_line_by_line()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 20_000; i++) builder.Append(Customer.Replace("/7\"", $"/{i}\"")).Append('\n');
        await using var hashed = PersonalDataHashing.Hashed(new MemoryStream(Encoding.UTF8.GetBytes(builder.ToString())), CancellationToken.None);
        var output = await new StreamReader(hashed).ReadToEndAsync();
        Assert.Equal(20_000, output.Count(c => c == '\n'));
        Assert.DoesNotContain("@", output);
    }
}
