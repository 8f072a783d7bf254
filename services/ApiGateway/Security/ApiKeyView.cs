namespace GrowthOs.ApiGateway.Security;

/// <summary>A key as <c>GET /api/keys</c> shows it: its id, role and shops, where it comes from, and who made it when; never a hash.</summary>
public sealed record ApiKeyView(string Id, string Role, IReadOnlyList<string> Shops, string Source, string? CreatedBy, DateTimeOffset? CreatedAt);
