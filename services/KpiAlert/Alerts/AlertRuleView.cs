namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A rule alerts are raised by: its id, name, severity and condition in words.</summary>
public sealed record AlertRuleView(string Id, string Name, string Severity, string Condition);
