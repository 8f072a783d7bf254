namespace GrowthOs.ApiGateway.Audit;

/// <summary>The actions tried without a key in one minute, by method, path and client: how many were refused.</summary>
public sealed record AuditAnonymousRefusal(DateTimeOffset Minute, string Method, string Path, string ClientAddress, long Refused);
