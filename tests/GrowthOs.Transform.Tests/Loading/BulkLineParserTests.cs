using System.Text;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Tests;

public sealed class BulkLineParserTests
{
    private static BulkLineParser.Result Parse(string line, long number = 1) => BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), number);

    private static string FixtureLine(int index) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"))[index];

    [Fact]
    public void An_order_line_becomes_an_order_with_money_in_minor_units()
    {
        var order = Assert.IsType<BulkLineParser.Order>(Parse(FixtureLine(1))).Record;
        Assert.Equal(1001, order.OrderId);
        Assert.Equal(2651, order.TotalMinor);
        Assert.Equal(3579, order.TotalPresentmentMinor);
        Assert.Equal(1900, order.SubtotalMinor);
        Assert.Equal(100, order.TotalDiscountsMinor);
        Assert.Equal(599, order.TotalShippingMinor);
        Assert.Equal("CAD", order.PresentmentCurrencyCode);
        Assert.Equal(5, order.CustomerId);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 23, 59, 59, TimeSpan.Zero), order.CreatedAt);
        Assert.Equal(TimeSpan.Zero, order.UpdatedAt.Offset);
    }

    [Fact]
    public void A_line_item_names_its_order_through_its_parent_id()
    {
        var item = Assert.IsType<BulkLineParser.LineItem>(Parse(FixtureLine(0))).Record;
        Assert.Equal((9001L, 1001L), (item.LineItemId, item.OrderId));
        Assert.Equal((2, 1000L, 100L), (item.Quantity, item.UnitPriceMinor, item.TotalDiscountMinor));
        Assert.Equal((1L, 11L), (item.ProductId!.Value, item.VariantId!.Value));
    }

    /// <summary>
    /// An order line with <c>transactions { id kind status gateway processedAt fees { amount { amount currencyCode } } }</c>,
    /// shaped as Shopify documents <c>OrderTransaction.fees</c> (shopify.dev/docs/api/admin-graphql/latest/objects/TransactionFee:
    /// a list of <c>TransactionFee</c> whose <c>amount</c> is a <c>MoneyV2</c>).
    /// </summary>
    private static string OrderWithTransactions(string transactions) => $$$"""
        {"__typename":"Order","id":"gid://shopify/Order/7","name":"#7","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z",
        "currencyCode":"USD","totalPriceSet":{"shopMoney":{"amount":"100.00","currencyCode":"USD"}},"transactions":{{{transactions}}}}
        """.ReplaceLineEndings("");

    private static string Transaction(string status, string fees) =>
        $$"""{"id":"gid://shopify/OrderTransaction/1","kind":"SALE","status":"{{status}}","gateway":"shopify_payments","fees":{{fees}}}""";

    [Fact]
    public void An_orders_payment_fees_are_the_fees_of_its_successful_transactions()
    {
        var fee = """[{"amount":{"amount":"3.20","currencyCode":"USD"}},{"amount":{"amount":"0.30","currencyCode":"USD"}}]""";
        var failed = """[{"amount":{"amount":"9.99","currencyCode":"USD"}}]""";
        var order = Assert.IsType<BulkLineParser.Order>(Parse(OrderWithTransactions($"[{Transaction("SUCCESS", fee)},{Transaction("FAILURE", failed)}]")));
        Assert.Equal(350, order.Record.PaymentFeesMinor);
    }

    [Theory]
    [InlineData("""[{"id":"gid://shopify/OrderTransaction/1","kind":"SALE","status":"SUCCESS","gateway":"paypal","fees":[]}]""")]
    [InlineData("""[]""")]
    [InlineData("""[{"id":"gid://shopify/OrderTransaction/1","status":"SUCCESS","fees":[{"amount":{"amount":"2.00","currencyCode":"EUR"}}]}]""")]
    public void Fees_Shopify_does_not_report_in_the_orders_currency_are_not_known(string transactions) =>
        Assert.Null(Assert.IsType<BulkLineParser.Order>(Parse(OrderWithTransactions(transactions))).Record.PaymentFeesMinor);

    [Fact]
    public void An_orders_discount_codes_are_kept_each_once() =>
        Assert.Equal(["WELCOME10", "VIP"], Assert.IsType<BulkLineParser.Order>(Parse(OrderWithTransactions("[]").Replace(
            "\"transactions\"", "\"discountCodes\":[\"WELCOME10\",\"VIP\",\"WELCOME10\"],\"transactions\""))).Record.DiscountCodes);

    [Fact]
    public void A_fee_that_is_not_an_amount_rejects_the_order_with_the_reason() =>
        Assert.Contains("transaction fee's amount 'lots'", Assert.IsType<BulkLineParser.Rejected>(Parse(OrderWithTransactions(
            $"[{Transaction("SUCCESS", """[{"amount":{"amount":"lots","currencyCode":"USD"}}]""")}]"))).Record.Reason);

    [Fact]
    public void An_amount_with_fewer_decimals_than_the_currency_is_exact() =>
        Assert.Equal(1230, Assert.IsType<BulkLineParser.Order>(Parse(FixtureLine(4))).Record.TotalMinor);

    [Fact]
    public void An_amount_finer_than_the_minor_unit_is_rejected_with_the_reason()
    {
        var rejected = Assert.IsType<BulkLineParser.Rejected>(Parse(FixtureLine(5), 6)).Record;
        Assert.Equal(6, rejected.LineNumber);
        Assert.Equal("gid://shopify/Order/1004", rejected.ExternalId);
        Assert.Contains("7.001", rejected.Reason);
    }

    [Fact]
    public void An_order_without_its_total_is_rejected_not_dropped()
    {
        var rejected = Assert.IsType<BulkLineParser.Rejected>(Parse(
            """{"__typename":"Order","id":"gid://shopify/Order/5","name":"#5","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01"""
            + """T00:00:00Z","currencyCode":"USD"}""")).Record;
        Assert.Contains("totalPriceSet", rejected.Reason);
    }

    [Fact]
    public void A_negative_quantity_is_rejected() =>
        Assert.Contains("negative", Assert.IsType<BulkLineParser.Rejected>(Parse(
            """{"__typename":"LineItem","id":"gid://shopify/LineItem/1","quantity":-1,"originalUnitPriceSet":{"shopMoney":"""
            + """{"amount":"1.00","currencyCode":"USD"}},"__parentId":"gid://shopify/Order/1"}""")).Record.Reason);

    [Fact]
    public void A_line_that_is_not_json_throws_with_its_line_number()
    {
        var exception = Assert.Throws<MalformedLineException>(() => Parse("""{"__typename":"Order","id":""", 42));
        Assert.Equal(42, exception.LineNumber);
        Assert.Contains("Line 42", exception.Message);
    }

    [Fact]
    public void The_type_comes_from_the_gid_when_typename_was_not_requested() =>
        Assert.IsType<BulkLineParser.Order>(Parse(FixtureLine(1).Replace("\"__typename\":\"Order\",", "")));

    [Theory]
    [InlineData("12.30", "USD", 1230)]
    [InlineData("1500", "JPY", 1500)]
    [InlineData("1.234", "KWD", 1234)]
    [InlineData("-5.10", "EUR", -510)]
    [InlineData("0", "USD", 0)]
    [InlineData("9999999999999999.99", "USD", 999_999_999_999_999_999)]
    public void Amounts_convert_exactly_to_minor_units(string amount, string currency, long expected)
    {
        Assert.True(Money.TryToMinorUnits(amount, currency, out var minor));
        Assert.Equal(expected, minor);
    }

    [Theory]
    [InlineData("1.5", "JPY")]
    [InlineData("abc", "USD")]
    [InlineData("1e3", "USD")]
    [InlineData(null, "USD")]
    // 18 digits fit a long as units, not as cents or mils: refused rather than wrapped to a wrong (even negative) amount.
    [InlineData("999999999999999999", "USD")]
    [InlineData("-99999999999999999.9", "KWD")]
    public void Amounts_that_are_not_exact_in_the_currency_are_refused(string? amount, string currency) =>
        Assert.False(Money.TryToMinorUnits(amount, currency, out _));
}
