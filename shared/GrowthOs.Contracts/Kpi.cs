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

/// <summary>
/// An alert rule's condition began to hold for a shop (and a subject, where the rule names one: a campaign, a platform,
/// a variant, a pipeline). One alert stays open per rule, shop and subject while its condition holds.
/// <paramref name="Severity"/> is <c>critical</c>, <c>warning</c> or <c>info</c>; <paramref name="Figures"/> are those
/// that raised it.
/// </summary>
public record AlertRaised(
    Guid AlertId,
    string ShopDomain,
    string Rule,
    string Subject,
    string Severity,
    string Message,
    string Recommendation,
    IReadOnlyDictionary<string, decimal?> Figures,
    DateTimeOffset RaisedAt);

/// <summary>The condition of an open alert no longer holds: the alert is resolved.</summary>
public record AlertResolved(
    Guid AlertId,
    string ShopDomain,
    string Rule,
    string Subject,
    DateTimeOffset ResolvedAt);
