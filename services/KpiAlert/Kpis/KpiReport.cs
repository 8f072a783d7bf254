namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// The answer of <c>GET /api/kpis</c>: the 18 KPIs of the period beside the period of the same length before it, and its
/// profit figures (<see cref="ProfitKpis"/>) beside them; <see cref="ProfitDays"/> is how many days of both periods carry
/// profit figures (fewer than <see cref="KpiCoverage.Days"/>: some have not arrived, and the sums leave them out); and its
/// e-mail figures (<see cref="EmailKpis"/>), none for a shop without an e-mail source; and each KPI's activation baseline
/// (<see cref="KpiBaseline"/>), in the order of the KPIs.
/// </summary>
public sealed record KpiReport(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string CurrencyCode,
    KpiCoverage Coverage,
    IReadOnlyList<KpiView> Kpis,
    int ProfitDays,
    IReadOnlyList<KpiView> Profit,
    IReadOnlyList<KpiView> Email,
    IReadOnlyList<KpiBaseline> Baselines);
