namespace GrowthOs.KpiAlert.Alerts;

/// <summary>The answer of <c>GET /api/alerts/rules</c>.</summary>
public sealed record AlertRuleList(IReadOnlyList<AlertRuleView> Rules);
