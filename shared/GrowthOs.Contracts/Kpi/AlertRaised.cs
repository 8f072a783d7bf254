namespace GrowthOs.Contracts.Kpi;

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
    DateTimeOffset RaisedAt,
    IReadOnlyList<string>? DataIncomplete = null);
