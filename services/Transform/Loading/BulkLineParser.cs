using System.Text;
using System.Text.Json;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Reads one line of a Shopify bulk file in a single forward pass (<see cref="Utf8JsonReader"/>, no document): the
/// fields are picked up as they come, whatever their order, and the record is built once the line is read. The kind
/// of record comes from <c>__typename</c> (or, for older files, from the GID), and a child names its parent in
/// <c>__parentId</c>: nothing assumes a child follows its parent. A line that is JSON but not a valid record is
/// rejected with its reason; a line that is not JSON throws with its line number.
/// </summary>
public static partial class BulkLineParser
{
    public abstract record Result;
    public sealed record Order(OrderRecord Record) : Result;
    public sealed record LineItem(LineItemRecord Record) : Result;
    public sealed record Product(ProductRecord Record) : Result;
    public sealed record Variant(VariantRecord Record) : Result;
    public sealed record InventoryItem(InventoryItemRecord Record) : Result;
    public sealed record InventoryLevel(InventoryLevelRecord Record) : Result;
    public sealed record Customer(CustomerRecord Record) : Result;
    public sealed record Rejected(RejectedRecord Record) : Result;
    public sealed record Skipped : Result;

    private static readonly Skipped SkippedLine = new();

    public static Result Parse(ReadOnlySpan<byte> line, long lineNumber)
    {
        var fields = new LineFields();
        string? type;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new MalformedLineException(lineNumber, "a line must hold one JSON object.");
            fields.Read(ref reader, line);
            if (reader.Read()) throw new MalformedLineException(lineNumber, "a line must hold one JSON object and nothing after it.");
            type = fields.TypeName.IsEmpty ? TypeFromGid(fields.Id.In(line)) : Text.Of(fields.TypeName.In(line));
        }
        catch (JsonException exception)
        {
            throw new MalformedLineException(lineNumber, exception.Message);
        }
        catch (InvalidRecordException exception)
        {
            return new Rejected(new RejectedRecord(lineNumber, Text.OfNullable(fields.TypeName.In(line)), NullableText(fields.Id.In(line)), exception.Message));
        }

        try
        {
            return type switch
            {
                "Order" => new Order(fields.ToOrder(line)),
                "LineItem" => new LineItem(fields.ToLineItem(line)),
                "Product" => new Product(fields.ToProduct(line)),
                "ProductVariant" => new Variant(fields.ToVariant(line)),
                "InventoryItem" => new InventoryItem(fields.ToInventoryItem(line)),
                "InventoryLevel" => new InventoryLevel(fields.ToInventoryLevel(line)),
                "Customer" => new Customer(fields.ToCustomer(line)),
                _ => SkippedLine,
            };
        }
        catch (InvalidRecordException exception)
        {
            return new Rejected(new RejectedRecord(lineNumber, type, NullableText(fields.Id.In(line)), exception.Message));
        }
    }

    private static string? NullableText(ReadOnlySpan<byte> value) => value.IsEmpty ? null : Encoding.UTF8.GetString(value);

    private static string? TypeFromGid(ReadOnlySpan<byte> gid)
    {
        if (!gid.StartsWith("gid://shopify/"u8)) return null;
        var tail = gid["gid://shopify/"u8.Length..];
        var slash = tail.IndexOf((byte)'/');
        return slash > 0 ? Encoding.UTF8.GetString(tail[..slash]) : null;
    }

    private sealed class InvalidRecordException(string message) : Exception(message);
}
