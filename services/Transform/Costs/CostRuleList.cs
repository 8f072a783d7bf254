namespace GrowthOs.Transform.Costs;

/// <summary>The answer of <c>GET /api/costs/rules</c>: a shop's cost rules, by kind and first day.</summary>
public sealed record CostRuleList(string Shop, IReadOnlyList<CostRule> Rules);
