namespace GrowthOs.ApiGateway.Security;

/// <summary>The answer of <c>POST /api/keys</c>: the key made, shown this once, with its id, role and shops.</summary>
public sealed record ApiKeyCreated(string Id, string Role, IReadOnlyList<string> Shops, string Key, string Note);
