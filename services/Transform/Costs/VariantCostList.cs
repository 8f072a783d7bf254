namespace GrowthOs.Transform.Costs;

/// <summary>The answer of <c>GET /api/costs/variants</c>: the shop's cost history, by variant, the newest first.</summary>
public sealed record VariantCostList(string Shop, IReadOnlyList<VariantCostView> Costs);
