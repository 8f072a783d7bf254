namespace GrowthOs.Transform.Api;

/// <summary>An order as stored: money in minor units of <see cref="CurrencyCode"/> (the shop's), times in UTC.</summary>
public record OrderSummary(
    string ShopDomain,
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
