namespace GrowthOs.Transform.Costs;

/// <summary>
/// A cost rule of a shop, in effect from <see cref="EffectiveFrom"/> to <see cref="EffectiveTo"/> (inclusive; null: open).
/// <see cref="AmountMinor"/> is per order, per unit or per month by <see cref="Kind"/>, in minor units of
/// <see cref="CurrencyCode"/>; <see cref="Rate"/> a share of revenue (0.029 is 2.9 %).
/// </summary>
public sealed record CostRule(
    long RuleId,
    string Kind,
    string Name,
    string CurrencyCode,
    long AmountMinor,
    decimal Rate,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    string? CreatedBy,
    DateTimeOffset CreatedAt);
