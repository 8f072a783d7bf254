namespace GrowthOs.ApiGateway.Security;

/// <summary>A key made at run time, as the gateway holds it: no key, only its salted hash.</summary>
public sealed record StoredApiKey(ApiKeyEntry Entry, string CreatedBy, DateTimeOffset CreatedAt);
