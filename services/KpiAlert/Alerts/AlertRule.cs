namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A rule: its id, name, severity and the condition it holds to (the threshold is a setting).</summary>
public sealed record AlertRule(string Id, string Name, string Severity, string Condition);
