using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Writes the JSONL of a bulk query as Shopify does: one object a line, nested connections flattened into
/// their own lines that point at their parent with <c>__parentId</c>. Shopify does not promise that a child follows
/// its parent; with a shuffle seed, lines are written in a seeded random order within windows of
/// <see cref="ShuffleWindowLines"/> lines, so children often come before their parent, while memory stays bounded.
/// </summary>
public static class BulkJsonlWriter
{
    private const int FlushThresholdBytes = 64 * 1024;
    public const int ShuffleWindowLines = 256;

    public static Task WriteOrders(IEnumerable<DemoOrder> orders, Stream output, CancellationToken cancellationToken, int? shuffleSeed = null) =>
        Write(orders, WriteOrder, output, cancellationToken, shuffleSeed);

    public static Task WriteProducts(IEnumerable<DemoProduct> products, Stream output, CancellationToken cancellationToken, int? shuffleSeed = null) =>
        Write(products, WriteProduct, output, cancellationToken, shuffleSeed);

    public static Task WriteInventoryItems(IEnumerable<DemoInventoryItem> items, Stream output, CancellationToken cancellationToken, int? shuffleSeed = null) =>
        Write(items, WriteInventoryItem, output, cancellationToken, shuffleSeed);

    public static Task WriteCustomers(IEnumerable<DemoCustomer> customers, Stream output, CancellationToken cancellationToken, int? shuffleSeed = null) =>
        Write(customers, WriteCustomer, output, cancellationToken, shuffleSeed);

    /// <summary>Writes each root object and its children, one line each, flushing (and shuffling) a window at a time.</summary>
    private static async Task Write<T>(IEnumerable<T> roots, Action<Lines, T> write, Stream output, CancellationToken cancellationToken, int? shuffleSeed)
    {
        var lines = new Lines();
        var shuffled = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        var random = shuffleSeed is { } seed ? new Random(seed) : null;
        foreach (var root in roots)
        {
            write(lines, root);
            if (random is null ? lines.Buffer.WrittenCount >= FlushThresholdBytes : lines.Ends.Count >= ShuffleWindowLines)
                await Flush(lines, shuffled, random, output, cancellationToken);
        }
        await Flush(lines, shuffled, random, output, cancellationToken);
    }

    private static async Task Flush(Lines lines, ArrayBufferWriter<byte> shuffled, Random? random, Stream output, CancellationToken cancellationToken)
    {
        if (random is null)
        {
            await output.WriteAsync(lines.Buffer.WrittenMemory, cancellationToken);
        }
        else
        {
            var order = Enumerable.Range(0, lines.Ends.Count).ToArray();
            random.Shuffle(order);
            shuffled.ResetWrittenCount();
            foreach (var index in order)
            {
                var start = index == 0 ? 0 : lines.Ends[index - 1];
                shuffled.Write(lines.Buffer.WrittenSpan[start..lines.Ends[index]]);
            }
            await output.WriteAsync(shuffled.WrittenMemory, cancellationToken);
        }
        lines.Buffer.ResetWrittenCount();
        lines.Ends.Clear();
    }

    /// <summary>The lines of the current window: a JSON writer over one buffer, and where each line ends.</summary>
    private sealed class Lines
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(FlushThresholdBytes * 2);
        public List<int> Ends { get; } = [];
        public Utf8JsonWriter Writer { get; }

        public Lines() => Writer = new Utf8JsonWriter(Buffer);

        public Utf8JsonWriter Begin(string typename, string id)
        {
            Writer.WriteStartObject();
            Writer.WriteString("__typename", typename);
            Writer.WriteString("id", id);
            return Writer;
        }

        public void End(string? parentId = null)
        {
            if (parentId is not null) Writer.WriteString("__parentId", parentId);
            Writer.WriteEndObject();
            Writer.Flush();
            Writer.Reset(Buffer);
            Buffer.Write("\n"u8);
            Ends.Add(Buffer.WrittenCount);
        }
    }

    private static void WriteOrder(Lines lines, DemoOrder order)
    {
        var orderId = $"gid://shopify/Order/{order.Id}";
        var writer = lines.Begin("Order", orderId);
        writer.WriteString("name", order.Name);
        writer.WriteString("createdAt", Timestamp(order.CreatedAt));
        writer.WriteString("updatedAt", Timestamp(order.UpdatedAt));
        writer.WriteString("processedAt", Timestamp(order.CreatedAt));
        if (order.CancelledAt is { } cancelledAt) writer.WriteString("cancelledAt", Timestamp(cancelledAt));
        else writer.WriteNull("cancelledAt");
        writer.WriteBoolean("test", order.Test);
        writer.WriteString("sourceName", order.SourceName);
        writer.WriteString("displayFinancialStatus", order.FinancialStatus);
        writer.WriteString("displayFulfillmentStatus", order.FulfillmentStatus);
        writer.WriteString("currencyCode", order.CurrencyCode);
        writer.WriteString("presentmentCurrencyCode", order.PresentmentCurrencyCode);
        writer.WriteStartObject("customer");
        writer.WriteString("id", $"gid://shopify/Customer/{order.CustomerId}");
        writer.WriteEndObject();
        WriteMoneyBag(writer, "subtotalPriceSet", order.Subtotal, order);
        WriteMoneyBag(writer, "totalPriceSet", order.Total, order);
        WriteMoneyBag(writer, "totalDiscountsSet", order.Discounts, order);
        WriteMoneyBag(writer, "totalTaxSet", order.Tax, order);
        WriteMoneyBag(writer, "totalShippingPriceSet", order.Shipping, order);
        WriteMoneyBag(writer, "totalRefundedSet", order.Refunded, order);
        writer.WriteStartArray("refunds");
        foreach (var refund in order.Refunds)
        {
            writer.WriteStartObject();
            writer.WriteString("id", $"gid://shopify/Refund/{refund.Id}");
            writer.WriteString("createdAt", Timestamp(refund.CreatedAt));
            WriteMoneyBag(writer, "totalRefundedSet", refund.Amount, order);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("fulfillments");
        foreach (var fulfillment in order.Fulfillments)
        {
            writer.WriteStartObject();
            writer.WriteString("id", $"gid://shopify/Fulfillment/{fulfillment.Id}");
            writer.WriteString("status", fulfillment.Status);
            writer.WriteString("createdAt", Timestamp(fulfillment.CreatedAt));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        lines.End();

        foreach (var line in order.LineItems)
        {
            writer = lines.Begin("LineItem", $"gid://shopify/LineItem/{line.Id}");
            writer.WriteString("sku", line.Variant.Sku);
            writer.WriteString("title", line.Product.Title);
            writer.WriteNumber("quantity", line.Quantity);
            writer.WriteNumber("currentQuantity", order.CancelledAt is null ? line.Quantity - line.RefundedQuantity : 0);
            WriteMoneyBag(writer, "originalUnitPriceSet", line.Variant.Price, order);
            WriteMoneyBag(writer, "totalDiscountSet", line.Discount, order);
            WriteReference(writer, "product", $"gid://shopify/Product/{line.Product.Id}");
            WriteReference(writer, "variant", $"gid://shopify/ProductVariant/{line.Variant.Id}");
            writer.WriteString("vendor", line.Product.Vendor);
            lines.End(orderId);
        }
    }

    private static void WriteProduct(Lines lines, DemoProduct product)
    {
        var productId = $"gid://shopify/Product/{product.Id}";
        var writer = lines.Begin("Product", productId);
        writer.WriteString("title", product.Title);
        writer.WriteString("vendor", product.Vendor);
        writer.WriteString("productType", product.ProductType);
        writer.WriteString("status", product.Status);
        writer.WriteString("createdAt", Timestamp(product.CreatedAt));
        writer.WriteString("updatedAt", Timestamp(product.UpdatedAt));
        lines.End();
        foreach (var variant in product.Variants)
        {
            writer = lines.Begin("ProductVariant", $"gid://shopify/ProductVariant/{variant.Id}");
            writer.WriteString("sku", variant.Sku);
            writer.WriteString("title", variant.Title);
            writer.WriteString("price", Amount(variant.Price));
            writer.WriteNumber("inventoryQuantity", variant.InventoryQuantity);
            writer.WriteString("updatedAt", Timestamp(product.UpdatedAt));
            WriteReference(writer, "inventoryItem", $"gid://shopify/InventoryItem/{variant.InventoryItem.Id}");
            lines.End(productId);
        }
    }

    private static void WriteInventoryItem(Lines lines, DemoInventoryItem item)
    {
        var itemId = $"gid://shopify/InventoryItem/{item.Id}";
        var writer = lines.Begin("InventoryItem", itemId);
        writer.WriteString("sku", item.Sku);
        writer.WriteString("updatedAt", Timestamp(item.UpdatedAt));
        WriteReference(writer, "variant", $"gid://shopify/ProductVariant/{item.VariantId}");
        lines.End();
        foreach (var level in item.Levels)
        {
            writer = lines.Begin("InventoryLevel", $"gid://shopify/InventoryLevel/{level.Id}?inventory_item_id={item.Id}");
            WriteReference(writer, "location", $"gid://shopify/Location/{level.Location.Id}");
            writer.WriteStartArray("quantities");
            writer.WriteStartObject();
            writer.WriteString("name", "available");
            writer.WriteNumber("quantity", level.Available);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("updatedAt", Timestamp(level.UpdatedAt));
            lines.End(itemId);
        }
    }

    private static void WriteCustomer(Lines lines, DemoCustomer customer)
    {
        var writer = lines.Begin("Customer", $"gid://shopify/Customer/{customer.Id}");
        writer.WriteString("createdAt", Timestamp(customer.CreatedAt));
        writer.WriteString("updatedAt", Timestamp(customer.UpdatedAt));
        writer.WriteString("numberOfOrders", customer.NumberOfOrders.ToString(CultureInfo.InvariantCulture));
        writer.WriteStartObject("amountSpent");
        writer.WriteString("amount", Amount(customer.AmountSpent));
        writer.WriteString("currencyCode", customer.CurrencyCode);
        writer.WriteEndObject();
        writer.WriteString("state", customer.State);
        writer.WriteStartObject("defaultEmailAddress");
        writer.WriteString("emailAddress", customer.Email);
        writer.WriteEndObject();
        lines.End();
    }

    private static void WriteReference(Utf8JsonWriter writer, string name, string id)
    {
        writer.WriteStartObject(name);
        writer.WriteString("id", id);
        writer.WriteEndObject();
    }

    private static void WriteMoneyBag(Utf8JsonWriter writer, string name, decimal shopAmount, DemoOrder order)
    {
        writer.WriteStartObject(name);
        WriteMoney(writer, "shopMoney", shopAmount, order.CurrencyCode);
        WriteMoney(writer, "presentmentMoney", Math.Round(shopAmount * order.PresentmentRate, 2), order.PresentmentCurrencyCode);
        writer.WriteEndObject();
    }

    private static void WriteMoney(Utf8JsonWriter writer, string name, decimal amount, string currency)
    {
        writer.WriteStartObject(name);
        writer.WriteString("amount", Amount(amount));
        writer.WriteString("currencyCode", currency);
        writer.WriteEndObject();
    }

    private static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
