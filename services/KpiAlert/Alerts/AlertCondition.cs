namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// A rule's condition holding for a subject ("" when the rule names none), with the figures that raise it; and, when the
/// data behind it is incomplete (<see cref="DataCompleteness"/>), the pipelines that are, and whether that held a critical
/// condition back to warning.
/// </summary>
public sealed record AlertCondition(string Rule, string Subject, string Severity, string Message, string Recommendation,
    IReadOnlyDictionary<string, decimal?> Figures, IReadOnlyList<DataGap>? DataIncomplete = null, bool HeldBack = false);
