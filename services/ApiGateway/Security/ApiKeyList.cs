namespace GrowthOs.ApiGateway.Security;

/// <summary>The answer of <c>GET /api/keys</c>: the keys the caller may see, those of the settings first.</summary>
public sealed record ApiKeyList(IReadOnlyList<ApiKeyView> Keys);
