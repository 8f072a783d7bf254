using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.GoogleOAuth;

/// <summary>
/// Google's OAuth 2.0 token endpoint under <c>/google-oauth/token</c> (the base URL is the only difference from
/// <c>https://oauth2.googleapis.com/token</c>): the refresh token grant of the Sandbox's client issues access tokens
/// that last <see cref="GoogleOAuthSandboxOptions.AccessTokenLifetimeSeconds"/>; the Google Ads and GA4 emulations
/// accept an unexpired one of the account's refresh token, or the account's fixed access token. Errors are Google's:
/// <c>invalid_client</c> (401), <c>invalid_grant</c> and <c>unsupported_grant_type</c> (400).
/// </summary>
public sealed class GoogleOAuthApi(IOptions<SandboxOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string RefreshToken, DateTimeOffset ExpiresAt)> _issued = new(StringComparer.Ordinal);

    private SandboxOptions Settings => options.Value;

    public static IEndpointRouteBuilder MapGoogleOAuth(IEndpointRouteBuilder app)
    {
        app.MapPost("/google-oauth/token", (HttpContext http, GoogleOAuthApi api) => api.Token(http));
        return app;
    }

    /// <summary>Whether <paramref name="presented"/> is the account's fixed token, or an unexpired one issued for its refresh token.</summary>
    public bool Accepts(string presented, string accessToken, string? refreshToken) =>
        presented.Length > 0 && (presented == accessToken
                                 || refreshToken is { Length: > 0 } && _issued.TryGetValue(presented, out var issued)
                                 && issued.RefreshToken == refreshToken && issued.ExpiresAt > clock.GetUtcNow());

    private async Task<IResult> Token(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
            return Error(400, "invalid_request", "Required parameter is missing: grant_type");
        var form = await http.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        if (grant.Length == 0) return Error(400, "invalid_request", "Required parameter is missing: grant_type");
        if (grant != "refresh_token") return Error(400, "unsupported_grant_type", $"Invalid grant_type: {grant}");
        var client = Settings.GoogleOAuth;
        if (form["client_id"].ToString() != client.ClientId || form["client_secret"].ToString() != client.ClientSecret)
            return Error(401, "invalid_client", "The OAuth client was not found.");
        var refreshToken = form["refresh_token"].ToString();
        var scope = Settings.GoogleAds.Customers.Any(c => c.RefreshToken == refreshToken) ? "https://www.googleapis.com/auth/adwords"
            : Settings.Ga4.Properties.Any(p => p.RefreshToken == refreshToken) ? "https://www.googleapis.com/auth/analytics.readonly"
            : null;
        if (refreshToken.Length == 0 || scope is null) return Error(400, "invalid_grant", "Token has been expired or revoked.");

        var token = "ya29.a0sandbox" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _issued[token] = (refreshToken, clock.GetUtcNow().AddSeconds(client.AccessTokenLifetimeSeconds));
        return Results.Json(new JsonObject
        {
            ["access_token"] = token,
            ["expires_in"] = client.AccessTokenLifetimeSeconds,
            ["scope"] = scope,
            ["token_type"] = "Bearer",
        });
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
