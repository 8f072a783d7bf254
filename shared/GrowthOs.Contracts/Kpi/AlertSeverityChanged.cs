namespace GrowthOs.Contracts.Kpi;

/// <summary>
/// An open alert's severity changed while its condition held: held back from <c>critical</c> to <c>warning</c> because the
/// data behind it became incomplete (<paramref name="DataIncomplete"/> names the pipelines), or raised back to
/// <c>critical</c> once they are whole again (empty then).
/// </summary>
public record AlertSeverityChanged(
    Guid AlertId,
    string ShopDomain,
    string Rule,
    string Subject,
    string Severity,
    string PreviousSeverity,
    IReadOnlyList<string> DataIncomplete,
    DateTimeOffset ChangedAt);
