namespace GrowthOs.KpiAlert.Kpis;

/// <summary>The answer of <c>GET /api/kpis</c>: the 18 KPIs of the period beside the period of the same length before it.</summary>
public sealed record KpiReport(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string CurrencyCode,
    KpiCoverage Coverage,
    IReadOnlyList<KpiView> Kpis);
