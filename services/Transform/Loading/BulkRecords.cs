namespace GrowthOs.Transform.Loading;

public sealed record OrderRecord(
    long OrderId,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ProcessedAt,
    DateTimeOffset? CancelledAt,
    bool IsTest,
    string? SourceName,
    string? FinancialStatus,
    string? FulfillmentStatus,
    string CurrencyCode,
    string PresentmentCurrencyCode,
    long? CustomerId,
    long SubtotalMinor,
    long TotalMinor,
    long TotalDiscountsMinor,
    long TotalTaxMinor,
    long TotalShippingMinor,
    long TotalRefundedMinor,
    long TotalPresentmentMinor,
    IReadOnlyList<RefundRecord> Refunds,
    IReadOnlyList<FulfillmentRecord> Fulfillments);

public sealed record LineItemRecord(
    long LineItemId,
    long OrderId,
    string? Sku,
    string Title,
    int Quantity,
    int CurrentQuantity,
    long UnitPriceMinor,
    long TotalDiscountMinor,
    string CurrencyCode,
    long? ProductId,
    long? VariantId,
    string? Vendor);

public sealed record RejectedRecord(long LineNumber, string? RecordType, string? ExternalId, string Reason);

/// <summary>A line of the bulk file that is not JSON: the whole run stops here, with the line number.</summary>
public sealed class MalformedLineException(long lineNumber, string reason)
    : Exception($"Line {lineNumber} of the bulk file is not valid JSON: {reason}")
{
    public long LineNumber { get; } = lineNumber;
}

/// <summary>A refund of an order, counted on its own date; the amount is <c>totalRefundedSet.shopMoney</c>.</summary>
public sealed record RefundRecord(long RefundId, long OrderId, DateTimeOffset CreatedAt, long AmountMinor, string CurrencyCode, DateTimeOffset OrderUpdatedAt);

public sealed record FulfillmentRecord(long FulfillmentId, long OrderId, string? Status, DateTimeOffset CreatedAt, DateTimeOffset OrderUpdatedAt);

public sealed record ProductRecord(
    long ProductId,
    string Title,
    string? Vendor,
    string? ProductType,
    string? Status,
    DateTimeOffset? CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A variant; Shopify gives its price without a currency (the shop's), so it stays as text until the load knows the currency.</summary>
public sealed record VariantRecord(
    long VariantId,
    long ProductId,
    string? Sku,
    string? Title,
    string? Price,
    int? InventoryQuantity,
    long? InventoryItemId,
    DateTimeOffset? UpdatedAt);

public sealed record InventoryItemRecord(long InventoryItemId, long? VariantId, string? Sku, DateTimeOffset? UpdatedAt);

public sealed record InventoryLevelRecord(long InventoryItemId, long LocationId, int Available, DateTimeOffset? UpdatedAt);

/// <summary>A customer without personal data: the e-mail address is kept only as its SHA-256.</summary>
public sealed record CustomerRecord(
    long CustomerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long NumberOfOrders,
    long AmountSpentMinor,
    string? CurrencyCode,
    string? State,
    string? EmailSha256);
