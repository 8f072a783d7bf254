using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
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
            var type = root.TryGetProperty("__typename", out var typename) && typename.ValueKind == JsonValueKind.String
                ? typename.ValueEquals("Order"u8) ? "Order" : typename.ValueEquals("LineItem"u8) ? "LineItem" : typename.GetString()
                : TypeFromGid(String(root, "id"));
            try
            {
                return type switch
                {
                    "Order" => new Order(ParseOrder(root)),
                    "LineItem" => new LineItem(ParseLineItem(root)),
                    _ => new Skipped(),
                };
            }
            catch (InvalidRecordException exception)
            {
                return new Rejected(new RejectedRecord(lineNumber, type, String(root, "id"), exception.Message));
            }
        }
    }

    private static OrderRecord ParseOrder(JsonElement root)
    {
        var currency = Required(root, "currencyCode");
        var presentment = String(root, "presentmentCurrencyCode") ?? currency;
        return new OrderRecord(
            OrderId: GidNumber(root, "id", "gid://shopify/Order/"u8) ?? throw new InvalidRecordException("id is missing or not an Order GID."),
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
                ? GidNumber(customer, "id", "gid://shopify/Customer/"u8)
                : null,
            SubtotalMinor: ShopMoney(root, "subtotalPriceSet", currency, required: false),
            TotalMinor: ShopMoney(root, "totalPriceSet", currency, required: true),
            TotalDiscountsMinor: ShopMoney(root, "totalDiscountsSet", currency, required: false),
            TotalTaxMinor: ShopMoney(root, "totalTaxSet", currency, required: false),
            TotalShippingMinor: ShopMoney(root, "totalShippingPriceSet", currency, required: false),
            TotalRefundedMinor: ShopMoney(root, "totalRefundedSet", currency, required: false),
            TotalPresentmentMinor: PresentmentMoney(root, "totalPriceSet", presentment));
    }

    private static LineItemRecord ParseLineItem(JsonElement root)
    {
        var unitPrice = root.TryGetProperty("originalUnitPriceSet", out var set) ? set : throw new InvalidRecordException("originalUnitPriceSet is missing.");
        var currency = unitPrice.TryGetProperty("shopMoney", out var money) ? Required(money, "currencyCode") : throw new InvalidRecordException("originalUnitPriceSet.shopMoney is missing.");
        var quantity = Int(root, "quantity") ?? throw new InvalidRecordException("quantity is missing.");
        if (quantity < 0) throw new InvalidRecordException($"quantity {quantity} is negative.");
        return new LineItemRecord(
            LineItemId: GidNumber(root, "id", "gid://shopify/LineItem/"u8) ?? throw new InvalidRecordException("id is missing or not a LineItem GID."),
            OrderId: GidNumber(root, "__parentId", "gid://shopify/Order/"u8) ?? throw new InvalidRecordException("__parentId is missing or not an Order GID."),
            Sku: String(root, "sku"),
            Title: String(root, "title") ?? "",
            Quantity: quantity,
            CurrentQuantity: Int(root, "currentQuantity") ?? quantity,
            UnitPriceMinor: ShopMoney(root, "originalUnitPriceSet", currency, required: true),
            TotalDiscountMinor: ShopMoney(root, "totalDiscountSet", currency, required: false),
            CurrencyCode: currency,
            ProductId: root.TryGetProperty("product", out var product) && product.ValueKind == JsonValueKind.Object ? GidNumber(product, "id", "gid://shopify/Product/"u8) : null,
            VariantId: root.TryGetProperty("variant", out var variant) && variant.ValueKind == JsonValueKind.Object ? GidNumber(variant, "id", "gid://shopify/ProductVariant/"u8) : null,
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
        if (money.TryGetProperty("currencyCode", out var code) && code.ValueKind == JsonValueKind.String && !code.ValueEquals(currency)
            && !string.Equals(code.GetString(), currency, StringComparison.OrdinalIgnoreCase))
            throw new InvalidRecordException($"{name} is in {code.GetString()}, expected {currency}.");
        return money.TryGetProperty("amount", out var amount) && amount.ValueKind == JsonValueKind.String
               && Money.TryToMinorUnits(Unquoted(JsonMarshal.GetRawUtf8Value(amount)), currency, out var minor)
            ? minor
            : throw new InvalidRecordException($"{name} amount '{String(money, "amount")}' is not a valid {currency} amount.");
    }

    /// <summary>The raw bytes of a JSON string without its quotes (escapes are left as they are).</summary>
    private static ReadOnlySpan<byte> Unquoted(ReadOnlySpan<byte> raw) => raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Required(JsonElement element, string name) =>
        String(element, name) is { Length: > 0 } value ? value : throw new InvalidRecordException($"{name} is missing.");

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static DateTimeOffset? Timestamp(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return null;
        if (value.TryGetDateTimeOffset(out var iso)) return iso.ToUniversalTime();
        var text = value.GetString()!;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : throw new InvalidRecordException($"{name} '{text}' is not a timestamp.");
    }

    private static DateTimeOffset RequiredTimestamp(JsonElement element, string name) =>
        Timestamp(element, name) ?? throw new InvalidRecordException($"{name} is missing.");

    /// <summary>The number of a GID such as <c>gid://shopify/Order/123</c> (a <c>?query</c> after it is ignored), read without allocating.</summary>
    private static long? GidNumber(JsonElement element, string name, ReadOnlySpan<byte> prefix)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return null;
        var gid = Unquoted(JsonMarshal.GetRawUtf8Value(value));
        if (!gid.StartsWith(prefix)) return null;
        var tail = gid[prefix.Length..];
        var query = tail.IndexOf((byte)'?');
        if (query >= 0) tail = tail[..query];
        return tail.Length > 0 && Utf8Parser.TryParse(tail, out long number, out var consumed) && consumed == tail.Length && number >= 0 ? number : null;
    }

    private static string? TypeFromGid(string? gid) =>
        gid?.StartsWith("gid://shopify/", StringComparison.Ordinal) == true ? gid.Split('/')[3] : null;

    private sealed class InvalidRecordException(string message) : Exception(message);
}
