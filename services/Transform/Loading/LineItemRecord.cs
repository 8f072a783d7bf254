namespace GrowthOs.Transform.Loading;

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
