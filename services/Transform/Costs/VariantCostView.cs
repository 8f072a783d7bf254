namespace GrowthOs.Transform.Costs;

/// <summary>
/// A variant's unit cost from a day on: Shopify's as a sync saw it (<c>shopify</c>) or an operator's (<c>override</c>),
/// in minor units of <see cref="CurrencyCode"/>, with who recorded it (an API key's id, for an override).
/// </summary>
public sealed record VariantCostView(
    long VariantId,
    string? Sku,
    string? ProductTitle,
    string? VariantTitle,
    string Source,
    DateOnly EffectiveFrom,
    long UnitCostMinor,
    string CurrencyCode,
    DateTimeOffset RecordedAt,
    string? RecordedBy);
