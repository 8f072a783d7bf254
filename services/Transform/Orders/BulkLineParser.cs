using System.Globalization;
using System.Text.Json;

namespace GrowthOs.Transform.Orders;

/// <summary>
/// Reads one line of a Shopify bulk orders file. The kind of record comes from <c>__typename</c> (or, for older
/// files, from the GID), and a child names its parent in <c>__parentId</c>: nothing assumes a child follows its parent.
/// A line that is JSON but not a valid record is rejected with its reason; a line that is not JSON throws.
/// </summary>
public static class BulkLineParser
{
    public abstract record Result;
    public sealed record Order(OrderRecord Record) : Result;
    public sealed record LineItem(LineItemRecord Record) : Result;
    public sealed record Rejected(RejectedRecord Record) : Result;
    public sealed record Skipped : Result;

    public static Result Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(line);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            throw new MalformedLineException(lineNumber, exception.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new MalformedLineException(lineNumber, "a line must hold one JSON object.");
            var id = String(root, "id");
            var type = String(root, "__typename") ?? TypeFromGid(id);
            try
            {
                return type switch
                {
                    "Order" => new Order(ParseOrder(root, id)),
                    "LineItem" => new LineItem(ParseLineItem(root, id)),
                    _ => new Skipped(),
                };
            }
            catch (InvalidRecordException exception)
            {
                return new Rejected(new RejectedRecord(lineNumber, type, id, exception.Message));
            }
        }
    }

    private static OrderRecord ParseOrder(JsonElement root, string? id)
    {
        var currency = Required(root, "currencyCode");
        var presentment = String(root, "presentmentCurrencyCode") ?? currency;
        return new OrderRecord(
            OrderId: GidNumber(id, "Order") ?? throw new InvalidRecordException("id is missing or not an Order GID."),
            Name: Required(root, "name"),
            CreatedAt: RequiredTimestamp(root, "createdAt"),
            UpdatedAt: RequiredTimestamp(root, "updatedAt"),
            ProcessedAt: Timestamp(root, "processedAt"),
            CancelledAt: Timestamp(root, "cancelledAt"),
            IsTest: root.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True,
            SourceName: String(root, "sourceName"),
            FinancialStatus: String(root, "displayFinancialStatus"),
            FulfillmentStatus: String(root, "displayFulfillmentStatus"),
            CurrencyCode: currency,
            PresentmentCurrencyCode: presentment,
            CustomerId: root.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object
                ? GidNumber(String(customer, "id"), "Customer")
                : null,
            SubtotalMinor: ShopMoney(root, "subtotalPriceSet", currency, required: false),
            TotalMinor: ShopMoney(root, "totalPriceSet", currency, required: true),
            TotalDiscountsMinor: ShopMoney(root, "totalDiscountsSet", currency, required: false),
            TotalTaxMinor: ShopMoney(root, "totalTaxSet", currency, required: false),
            TotalShippingMinor: ShopMoney(root, "totalShippingPriceSet", currency, required: false),
            TotalRefundedMinor: ShopMoney(root, "totalRefundedSet", currency, required: false),
            TotalPresentmentMinor: PresentmentMoney(root, "totalPriceSet", presentment));
    }

    private static LineItemRecord ParseLineItem(JsonElement root, string? id)
    {
        var unitPrice = root.TryGetProperty("originalUnitPriceSet", out var set) ? set : throw new InvalidRecordException("originalUnitPriceSet is missing.");
        var currency = unitPrice.TryGetProperty("shopMoney", out var money) ? Required(money, "currencyCode") : throw new InvalidRecordException("originalUnitPriceSet.shopMoney is missing.");
        var quantity = Int(root, "quantity") ?? throw new InvalidRecordException("quantity is missing.");
        if (quantity < 0) throw new InvalidRecordException($"quantity {quantity} is negative.");
        return new LineItemRecord(
            LineItemId: GidNumber(id, "LineItem") ?? throw new InvalidRecordException("id is missing or not a LineItem GID."),
            OrderId: GidNumber(String(root, "__parentId"), "Order") ?? throw new InvalidRecordException("__parentId is missing or not an Order GID."),
            Sku: String(root, "sku"),
            Title: String(root, "title") ?? "",
            Quantity: quantity,
            CurrentQuantity: Int(root, "currentQuantity") ?? quantity,
            UnitPriceMinor: ShopMoney(root, "originalUnitPriceSet", currency, required: true),
            TotalDiscountMinor: ShopMoney(root, "totalDiscountSet", currency, required: false),
            CurrencyCode: currency,
            ProductId: root.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object ? GidNumber(String(product, "id"), "Product") : null,
            VariantId: root.TryGetProperty("variant", out var variant) && variant.ValueKind == JsonValueKind.Object ? GidNumber(String(variant, "id"), "ProductVariant") : null,
            Vendor: String(root, "vendor"));
    }

    private static long ShopMoney(JsonElement root, string name, string currency, bool required)
    {
        if (!root.TryGetProperty(name, out var set) || set.ValueKind != JsonValueKind.Object || !set.TryGetProperty("shopMoney", out var money))
            return required ? throw new InvalidRecordException($"{name}.shopMoney is missing.") : 0;
        return Amount(money, name, currency);
    }

    private static long PresentmentMoney(JsonElement root, string name, string currency)
    {
        if (!root.TryGetProperty(name, out var set) || !set.TryGetProperty("presentmentMoney", out var money)) return 0;
        return Amount(money, name, String(money, "currencyCode") ?? currency);
    }

    private static long Amount(JsonElement money, string name, string currency)
    {
        var amountCurrency = String(money, "currencyCode") ?? currency;
        if (!string.Equals(amountCurrency, currency, StringComparison.OrdinalIgnoreCase))
            throw new InvalidRecordException($"{name} is in {amountCurrency}, expected {currency}.");
        return Money.TryToMinorUnits(String(money, "amount"), currency, out var minor)
            ? minor
            : throw new InvalidRecordException($"{name} amount '{String(money, "amount")}' is not a valid {currency} amount.");
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name) =>
        String(element, name) is { Length: > 0 } value ? value : throw new InvalidRecordException($"{name} is missing.");

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static DateTimeOffset? Timestamp(JsonElement element, string name)
    {
        var text = String(element, name);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new InvalidRecordException($"{name} '{text}' is not a timestamp.");
    }

    private static DateTimeOffset RequiredTimestamp(JsonElement element, string name) =>
        Timestamp(element, name) ?? throw new InvalidRecordException($"{name} is missing.");

    private static long? GidNumber(string? gid, string type)
    {
        var prefix = $"gid://shopify/{type}/";
        if (gid is null || !gid.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var tail = gid.AsSpan(prefix.Length);
        var query = tail.IndexOf('?');
        return long.TryParse(query >= 0 ? tail[..query] : tail, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static string? TypeFromGid(string? gid) =>
        gid?.StartsWith("gid://shopify/", StringComparison.Ordinal) == true ? gid.Split('/')[3] : null;

    private sealed class InvalidRecordException(string message) : Exception(message);
}
