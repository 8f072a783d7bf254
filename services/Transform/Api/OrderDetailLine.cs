namespace GrowthOs.Transform.Api;

/// <summary>A line of an order: its quantity as ordered and as it stands after refunds and edits, its price and discount.</summary>
public sealed record OrderDetailLine(
    long LineItemId,
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
