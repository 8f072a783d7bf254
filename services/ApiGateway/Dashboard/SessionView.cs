namespace GrowthOs.ApiGateway.Dashboard;

/// <summary>The answer of <c>GET /api/session</c>: the calling key's id, its role, and the shops it is limited to (null: any shop).</summary>
public sealed record SessionView(string? KeyId, string? Role, IReadOnlyList<string>? Shops);
