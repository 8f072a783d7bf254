using System.Buffers;
using System.Globalization;
using System.Text.Json;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Writes the JSONL of a bulk orders query as Shopify does: one object a line, nested connections flattened into
/// their own lines that point at their parent with <c>__parentId</c>. Shopify does not promise that a child follows
/// its parent; with a shuffle seed, lines are written in a seeded random order within windows of
/// <see cref="ShuffleWindowLines"/> lines, so children often come before their parent, while memory stays bounded.
/// </summary>
public static class BulkJsonlWriter
{
    private const int FlushThresholdBytes = 64 * 1024;
    public const int ShuffleWindowLines = 256;

    public static async Task WriteOrders(IEnumerable<DemoOrder> orders, Stream output, CancellationToken cancellationToken, int? shuffleSeed = null)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        var lineEnds = new List<int>();
        var shuffled = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        var random = shuffleSeed is { } seed ? new Random(seed) : null;
        await using var writer = new Utf8JsonWriter(buffer);
        foreach (var order in orders)
        {
            WriteOrder(writer, buffer, order);
            lineEnds.Add(buffer.WrittenCount);
            foreach (var line in order.LineItems)
            {
                WriteLineItem(writer, buffer, order, line);
                lineEnds.Add(buffer.WrittenCount);
            }
            if (random is null ? buffer.WrittenCount >= FlushThresholdBytes : lineEnds.Count >= ShuffleWindowLines)
                await Flush(buffer, lineEnds, shuffled, random, output, cancellationToken);
        }
        await Flush(buffer, lineEnds, shuffled, random, output, cancellationToken);
    }

    private static async Task Flush(ArrayBufferWriter<byte> buffer, List<int> lineEnds, ArrayBufferWriter<byte> shuffled, Random? random, Stream output,
        CancellationToken cancellationToken)
    {
        if (random is null)
        {
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        }
        else
        {
            var order = Enumerable.Range(0, lineEnds.Count).ToArray();
            random.Shuffle(order);
            shuffled.ResetWrittenCount();
            foreach (var index in order)
            {
                var start = index == 0 ? 0 : lineEnds[index - 1];
                shuffled.Write(buffer.WrittenSpan[start..lineEnds[index]]);
            }
            await output.WriteAsync(shuffled.WrittenMemory, cancellationToken);
        }
        buffer.ResetWrittenCount();
        lineEnds.Clear();
    }

    private static void EndLine(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.WriteEndObject();
        writer.Flush();
        writer.Reset(buffer);
        buffer.Write("\n"u8);
    }

    private static void WriteOrder(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, DemoOrder order)
    {
        writer.WriteStartObject();
        writer.WriteString("__typename", "Order");
        writer.WriteString("id", $"gid://shopify/Order/{order.Id}");
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
        WriteMoneyBag(writer, "totalRefundedSet", 0m, order);
        EndLine(writer, buffer);
    }

    private static void WriteLineItem(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, DemoOrder order, DemoLineItem line)
    {
        writer.WriteStartObject();
        writer.WriteString("__typename", "LineItem");
        writer.WriteString("id", $"gid://shopify/LineItem/{line.Id}");
        writer.WriteString("sku", line.Variant.Sku);
        writer.WriteString("title", line.Product.Title);
        writer.WriteNumber("quantity", line.Quantity);
        writer.WriteNumber("currentQuantity", order.CancelledAt is null ? line.Quantity : 0);
        WriteMoneyBag(writer, "originalUnitPriceSet", line.Variant.Price, order);
        WriteMoneyBag(writer, "totalDiscountSet", line.Discount, order);
        writer.WriteStartObject("product");
        writer.WriteString("id", $"gid://shopify/Product/{line.Product.Id}");
        writer.WriteEndObject();
        writer.WriteStartObject("variant");
        writer.WriteString("id", $"gid://shopify/ProductVariant/{line.Variant.Id}");
        writer.WriteEndObject();
        writer.WriteString("vendor", line.Product.Vendor);
        writer.WriteString("__parentId", $"gid://shopify/Order/{order.Id}");
        EndLine(writer, buffer);
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
        writer.WriteString("amount", amount.ToString("0.00", CultureInfo.InvariantCulture));
        writer.WriteString("currencyCode", currency);
        writer.WriteEndObject();
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
