namespace GrowthOs.Transform.Costs;

/// <summary>An operator's unit cost of a variant from a day on, in minor units of the shop's currency.</summary>
public sealed record CostOverride(long VariantId, long UnitCostMinor, string CurrencyCode, DateOnly EffectiveFrom);
