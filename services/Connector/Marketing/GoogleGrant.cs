namespace GrowthOs.Connector.Marketing;

/// <summary>What Google's token endpoint grants for a consent's code: the access token, the refresh token (offline access), and the scopes granted.</summary>
public sealed record GoogleGrant(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string Scope)
{
    public bool Grants(string scope) => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);

    public override string ToString() => $"grant of {Scope} (tokens redacted)";
}
