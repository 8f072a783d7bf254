namespace GrowthOs.Transform.Loading;

/// <summary>
/// A record dated more than <see cref="Tolerance"/> after the load began (a clock gone wrong, a hand-made upload) is
/// rejected with its reason instead of stored: stored, it would outrank every later real update of its row (updates
/// are kept newest-wins) and trip the <c>no_future_dates</c> check on every sync after it. The line items that follow an
/// order rejected so are rejected with it (the loader removes those that came before it).
/// </summary>
public sealed class FutureDatedRecords(DateTimeOffset loadStartedAt)
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromDays(1);

    private readonly DateTimeOffset _latest = loadStartedAt.ToUniversalTime() + Tolerance;
    private readonly HashSet<long> _rejectedOrders = [];

    /// <summary>The orders rejected so far for their dates.</summary>
    public IReadOnlyCollection<long> RejectedOrders => _rejectedOrders;

    public BulkLineParser.Result Check(BulkLineParser.Result result, long lineNumber) => result switch
    {
        BulkLineParser.Order { Record: var o } => Latest(("createdAt", o.CreatedAt), ("updatedAt", o.UpdatedAt), ("processedAt", o.ProcessedAt),
                ("cancelledAt", o.CancelledAt), ("refunds.createdAt", o.Refunds.Max(r => (DateTimeOffset?)r.CreatedAt)),
                ("fulfillments.createdAt", o.Fulfillments.Max(f => (DateTimeOffset?)f.CreatedAt))) is { } field
            ? RejectOrder(o.OrderId, lineNumber, field)
            : result,
        BulkLineParser.LineItem { Record: var l } when _rejectedOrders.Contains(l.OrderId) =>
            Rejected(lineNumber, "LineItem", $"gid://shopify/LineItem/{l.LineItemId}",
                $"its order gid://shopify/Order/{l.OrderId} is dated in the future and was rejected."),
        BulkLineParser.Product { Record: var p } when Latest(("createdAt", p.CreatedAt), ("updatedAt", p.UpdatedAt)) is { } field =>
            Rejected(lineNumber, "Product", $"gid://shopify/Product/{p.ProductId}", Reason(field)),
        BulkLineParser.Variant { Record: var v } when Latest(("updatedAt", v.UpdatedAt)) is { } field =>
            Rejected(lineNumber, "ProductVariant", $"gid://shopify/ProductVariant/{v.VariantId}", Reason(field)),
        BulkLineParser.InventoryItem { Record: var i } when Latest(("updatedAt", i.UpdatedAt)) is { } field =>
            Rejected(lineNumber, "InventoryItem", $"gid://shopify/InventoryItem/{i.InventoryItemId}", Reason(field)),
        BulkLineParser.InventoryLevel { Record: var i } when Latest(("updatedAt", i.UpdatedAt)) is { } field =>
            Rejected(lineNumber, "InventoryLevel", $"gid://shopify/InventoryItem/{i.InventoryItemId}", Reason(field)),
        BulkLineParser.Customer { Record: var c } when Latest(("createdAt", c.CreatedAt), ("updatedAt", c.UpdatedAt)) is { } field =>
            Rejected(lineNumber, "Customer", $"gid://shopify/Customer/{c.CustomerId}", Reason(field)),
        _ => result,
    };

    private BulkLineParser.Result RejectOrder(long orderId, long lineNumber, (string Name, DateTimeOffset Value) field)
    {
        _rejectedOrders.Add(orderId);
        return Rejected(lineNumber, "Order", $"gid://shopify/Order/{orderId}", Reason(field));
    }

    /// <summary>The first of the fields dated after the latest moment allowed, if any.</summary>
    private (string Name, DateTimeOffset Value)? Latest(params ReadOnlySpan<(string Name, DateTimeOffset? Value)> fields)
    {
        foreach (var (name, value) in fields)
            if (value is { } moment && moment > _latest) return (name, moment);
        return null;
    }

    private string Reason((string Name, DateTimeOffset Value) field) =>
        $"{field.Name} {field.Value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is more than a day after the load began "
        + $"({loadStartedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}): a record dated in the future is not stored.";

    private static BulkLineParser.Rejected Rejected(long lineNumber, string type, string id, string reason) =>
        new(new RejectedRecord(lineNumber, type, id, reason));
}
