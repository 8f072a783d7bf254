namespace GrowthOs.Contracts.Kpi;

/// <summary>
/// A KPI's value and its previous period's. <paramref name="Kind"/> is <c>money</c> (minor units of the shop's
/// currency), <c>count</c> or <c>ratio</c> (0.15 is 15 %); a value is null where its denominator is 0.
/// <paramref name="Change"/> is (value − previous) / previous, null when the previous value is 0 or null.
/// </summary>
public record KpiValue(
    string Name,
    string Kind,
    decimal? Current,
    decimal? Previous,
    decimal? Change);
