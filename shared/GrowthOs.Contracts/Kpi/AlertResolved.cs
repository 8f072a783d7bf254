namespace GrowthOs.Contracts.Kpi;

/// <summary>The condition of an open alert no longer holds: the alert is resolved.</summary>
public record AlertResolved(
    Guid AlertId,
    string ShopDomain,
    string Rule,
    string Subject,
    DateTimeOffset ResolvedAt);
