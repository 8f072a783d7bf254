namespace GrowthOs.ApiGateway.Security;

/// <summary>The shop a request names, trimmed and lower-cased: its <c>shop</c> query parameter, or a JSON body's <c>shop</c>.</summary>
public sealed record RequestShop(string? Shop);
