namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/dashboard/shops</c>.</summary>
public sealed record DashboardShopList(IReadOnlyList<DashboardShop> Shops);
