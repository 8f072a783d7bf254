using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// The answer of <c>GET /analytics/commerce/overview</c>: the period's KPIs with their change, its profit figures (as
/// <c>/api/kpis</c> answers them, with the days that carry them), its e-mail figures (none without an e-mail source), its top
/// products and the open alerts.
/// </summary>
public sealed record CommerceOverview(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string CurrencyCode,
    IReadOnlyList<KpiView> Kpis,
    IReadOnlyList<TopProduct> TopProducts,
    IReadOnlyList<AlertView> OpenAlerts,
    int ProfitDays,
    IReadOnlyList<KpiView> Profit,
    IReadOnlyList<KpiView> Email);
