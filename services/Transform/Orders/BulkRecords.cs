namespace GrowthOs.Transform.Orders;

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
    long TotalPresentmentMinor);

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
