namespace GrowthOs.Contracts.Kpi;

/// <summary>KPIs of the last 7 days of <paramref name="AsOf"/> against the 7 days before.</summary>
public record KpiSnapshotComputed(
    Guid RunId,
    string ShopDomain,
    DateOnly AsOf,
    string CurrencyCode,
    IReadOnlyList<KpiValue> Kpis);

/// <summary>A KPI value and its week-over-week change in basis points (null when the previous week is zero).</summary>
public record KpiValue(
    string Name,
    long Current,
    long Previous,
    long? ChangeBasisPoints);
