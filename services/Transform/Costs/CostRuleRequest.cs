using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Costs;

/// <summary>The body of <c>POST /api/costs/rules</c> and <c>PUT /api/costs/rules/{ruleId}</c>.</summary>
public sealed record CostRuleRequest(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("currency_code")] string? CurrencyCode,
    [property: JsonPropertyName("amount_minor")] long? AmountMinor,
    [property: JsonPropertyName("rate")] decimal? Rate,
    [property: JsonPropertyName("effective_from")] DateOnly? EffectiveFrom,
    [property: JsonPropertyName("effective_to")] DateOnly? EffectiveTo);
