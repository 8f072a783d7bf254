namespace GrowthOs.Contracts.Kpi;

/// <summary>
/// The KPIs of a shop were recomputed for the period <paramref name="From"/> to <paramref name="To"/> (the shop's
/// reporting days, by default the last 7 complete ones) against the period of the same length before it; with the
/// period's profit figures (gross profit and margin, contribution margin, net profit, POAS, new against returning) in
/// <paramref name="Profit"/>, null from a publisher that does not compute them; and its e-mail figures (e-mail revenue and
/// its share of revenue, open, click, unsubscribe and bounce rates, revenue per recipient) in <paramref name="Email"/>, empty
/// for a shop without an e-mail source and null from a publisher that does not compute them.
/// </summary>
public record KpiSnapshotComputed(
    Guid RunId,
    string ShopDomain,
    DateOnly From,
    DateOnly To,
    string CurrencyCode,
    IReadOnlyList<KpiValue> Kpis,
    IReadOnlyList<KpiValue>? Profit = null,
    IReadOnlyList<KpiValue>? Email = null);
