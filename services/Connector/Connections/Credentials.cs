using System.Text.Json.Serialization;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// What a connection holds to reach its provider. Never logged, returned, published or put in an error: its
/// <see cref="ToString"/> says nothing of it.
/// </summary>
public sealed record Credentials(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt = null,
    [property: JsonPropertyName("scope")] string? Scope = null)
{
    public override string ToString() => "credentials (redacted)";
}
