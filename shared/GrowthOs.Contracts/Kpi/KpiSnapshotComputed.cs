namespace GrowthOs.Contracts.Kpi;

/// <summary>
/// The KPIs of a shop were recomputed for the period <paramref name="From"/> to <paramref name="To"/> (the shop's
/// reporting days, by default the last 7 complete ones) against the period of the same length before it.
/// </summary>
public record KpiSnapshotComputed(
    Guid RunId,
    string ShopDomain,
    DateOnly From,
    DateOnly To,
    string CurrencyCode,
    IReadOnlyList<KpiValue> Kpis);
