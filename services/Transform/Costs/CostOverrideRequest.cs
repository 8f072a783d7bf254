using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Costs;

/// <summary>The body of <c>PUT /api/costs/variants/{variantId}</c>.</summary>
public sealed record CostOverrideRequest(
    [property: JsonPropertyName("unit_cost_minor")] long? UnitCostMinor,
    [property: JsonPropertyName("currency_code")] string? CurrencyCode,
    [property: JsonPropertyName("effective_from")] DateOnly? EffectiveFrom);
