namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A rule's condition holding for a subject ("" when the rule names none), with the figures that raise it.</summary>
public sealed record AlertCondition(string Rule, string Subject, string Severity, string Message, string Recommendation,
    IReadOnlyDictionary<string, decimal?> Figures);
