using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.GoogleOAuth;

/// <summary>
/// Google's OAuth 2.0 for web server applications under <c>/google-oauth</c> (the base URL is the only difference from
/// <c>https://accounts.google.com</c> and <c>https://oauth2.googleapis.com</c>):
/// <list type="bullet">
/// <item><c>GET /o/oauth2/v2/auth</c>, the consent page, approving at once as the Sandbox's Google user (who may reach
/// every customer and property the Sandbox holds): it sends the browser to <c>redirect_uri</c> with <c>state</c>,
/// <c>code</c> and the granted <c>scope</c>. An unknown client or redirect URI, a missing or unknown scope are Google's
/// "Error 400/401" pages, never a redirect.</item>
/// <item><c>POST /token</c>: the authorization code grant (a code once, with the redirect URI it was issued for; a
/// refresh token only for <c>access_type=offline</c>, and, as Google does, only at the first consent unless
/// <c>prompt=consent</c> asks again) and the refresh token grant. Access tokens last
/// <see cref="GoogleOAuthSandboxOptions.AccessTokenLifetimeSeconds"/>.</item>
/// <item><c>POST /revoke?token=</c>: revokes a refresh token, or an access token and the grant it came from.</item>
/// </list>
/// Errors are Google's: <c>invalid_client</c> (401), <c>invalid_grant</c>, <c>redirect_uri_mismatch</c>,
/// <c>invalid_request</c>, <c>unsupported_grant_type</c> (400), <c>invalid_token</c> at revocation (400).
/// </summary>
public sealed class GoogleOAuthApi
{
    public const string AdWordsScope = "https://www.googleapis.com/auth/adwords";
    public const string AnalyticsReadOnlyScope = "https://www.googleapis.com/auth/analytics.readonly";
    public const string AnalyticsScope = "https://www.googleapis.com/auth/analytics";

    private static readonly HashSet<string> KnownScopes = new(StringComparer.Ordinal)
    {
        AdWordsScope, AnalyticsReadOnlyScope, AnalyticsScope, "openid", "email", "profile",
        "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile",
    };

    private sealed record Code(string ClientId, string RedirectUri, string Scope, bool RefreshToken, DateTimeOffset ExpiresAt);

    private sealed record Issued(string Grant, string Scope, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Code> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Issued> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _granted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _consented = new(StringComparer.Ordinal);
    private readonly IOptions<SandboxOptions> options;
    private readonly TimeProvider clock;

    /// <summary>
    /// Grants, revocations and first consents outlive a restart of the Sandbox (with a state directory), as Google's do:
    /// a refresh token stays good until it is revoked. Codes and access tokens are short-lived and are not kept.
    /// </summary>
    private readonly StateFile<GrantState> _state;

    private sealed record GrantState(string Kind, string Key, string? Scope = null);

    public GoogleOAuthApi(IOptions<SandboxOptions> options, TimeProvider clock)
    {
        this.options = options;
        this.clock = clock;
        _state = new StateFile<GrantState>(options.Value, "google-oauth.jsonl");
        foreach (var record in _state.ReadAll())
        {
            if (record.Kind == "granted") _granted[record.Key] = record.Scope ?? "";
            else if (record.Kind == "revoked") _revoked[record.Key] = 0;
            else if (record.Kind == "consented") _consented[record.Key] = 0;
        }
    }

    private SandboxOptions Settings => options.Value;

    public static IEndpointRouteBuilder MapGoogleOAuth(IEndpointRouteBuilder app)
    {
        app.MapGet("/google-oauth/o/oauth2/v2/auth", (HttpContext http, GoogleOAuthApi api) => api.Authorize(http));
        app.MapPost("/google-oauth/token", (HttpContext http, GoogleOAuthApi api) => api.Token(http));
        app.MapPost("/google-oauth/revoke", (HttpContext http, GoogleOAuthApi api) => api.Revoke(http));
        // The Sandbox's person removes the app's access (Google Account, Security, Third-party access): every grant consented to ends.
        app.MapPost("/sandbox/google-oauth/remove-access", (GoogleOAuthApi api) => Results.Json(new JsonObject { ["revoked"] = api.RemoveAccess() }));
        return app;
    }

    /// <summary>
    /// Whether <paramref name="presented"/> reaches an account whose fixed token is <paramref name="accessToken"/> and whose
    /// own refresh token is <paramref name="refreshToken"/>: the fixed token, an unexpired one issued for that refresh token,
    /// or an unexpired one of a grant the Sandbox's user consented to with <paramref name="scope"/>, while not revoked.
    /// </summary>
    public bool Accepts(string presented, string accessToken, string? refreshToken, string scope)
    {
        if (presented.Length == 0) return false;
        if (presented == accessToken) return true;
        if (!_issued.TryGetValue(presented, out var issued) || issued.ExpiresAt <= clock.GetUtcNow() || _revoked.ContainsKey(issued.Grant)) return false;
        return refreshToken is { Length: > 0 } && issued.Grant == refreshToken
               || _granted.ContainsKey(issued.Grant) && issued.Scope.Split(' ').Contains(scope, StringComparer.Ordinal);
    }

    private IResult Authorize(HttpContext http)
    {
        var query = http.Request.Query;
        var client = Settings.GoogleOAuth;
        if (query["client_id"].ToString() != client.ClientId) return ErrorPage(401, "invalid_client", "The OAuth client was not found.");
        var redirect = query["redirect_uri"].ToString();
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri) || redirectUri.Scheme is not ("http" or "https")
            || client.RedirectUris.Count > 0 && !client.RedirectUris.Contains(redirect, StringComparer.Ordinal))
            return ErrorPage(400, "redirect_uri_mismatch",
                $"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. If you're the app developer, register the "
                + $"redirect URI in the Google Cloud Console. Request details: redirect_uri={redirect}");
        var responseType = query["response_type"].ToString();
        if (responseType.Length == 0) return ErrorPage(400, "invalid_request", "Required parameter is missing: response_type");
        if (responseType != "code") return ErrorPage(400, "unsupported_response_type", $"Invalid response_type: {responseType}");
        var scopes = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0) return ErrorPage(400, "invalid_request", "Missing required parameter: scope");
        if (scopes.Where(s => !KnownScopes.Contains(s)).ToList() is { Count: > 0 } unknown)
            return ErrorPage(400, "invalid_scope", $"Some requested scopes were invalid. {{invalid=[{string.Join(", ", unknown)}]}}");
        var accessType = query["access_type"].ToString();
        if (accessType is not ("" or "online" or "offline")) return ErrorPage(400, "invalid_request", $"Invalid access_type: {accessType}");

        // A refresh token comes with the user's first consent to these scopes, or when the app asks for consent again.
        var scope = string.Join(' ', scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var offline = accessType == "offline";
        var first = _consented.TryAdd($"{client.ClientId} {scope}", 0);
        if (first) _state.Append(new GrantState("consented", $"{client.ClientId} {scope}"));
        var askedAgain = query["prompt"].ToString().Split(' ').Contains("consent", StringComparer.Ordinal);
        var code = "4/0Ab" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _codes[code] = new Code(client.ClientId, redirect, scope, offline && (first || askedAgain),
            clock.GetUtcNow().AddSeconds(client.AuthorizationCodeSeconds));
        var parameters = new List<KeyValuePair<string, string>>();
        if (query["state"].ToString() is { Length: > 0 } state) parameters.Add(new("state", state));
        parameters.Add(new("code", code));
        parameters.Add(new("scope", scope));
        parameters.Add(new("authuser", "0"));
        parameters.Add(new("prompt", "consent"));
        var separator = redirect.Contains('?') ? '&' : '?';
        return Results.Redirect(redirect + separator + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    private async Task<IResult> Token(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
            return Error(400, "invalid_request", "Required parameter is missing: grant_type");
        var form = await http.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        if (grant.Length == 0) return Error(400, "invalid_request", "Required parameter is missing: grant_type");
        if (grant is not ("refresh_token" or "authorization_code")) return Error(400, "unsupported_grant_type", $"Invalid grant_type: {grant}");
        var client = Settings.GoogleOAuth;
        if (form["client_id"].ToString() != client.ClientId) return Error(401, "invalid_client", "The OAuth client was not found.");
        if (form["client_secret"].ToString() != client.ClientSecret) return Error(401, "invalid_client", "Unauthorized");
        return grant == "authorization_code" ? ExchangeCode(form) : Refresh(form["refresh_token"].ToString());
    }

    private IResult ExchangeCode(IFormCollection form)
    {
        var code = form["code"].ToString();
        if (code.Length == 0) return Error(400, "invalid_request", "Missing required parameter: code");
        if (!_codes.TryRemove(code, out var issued) || issued.ExpiresAt < clock.GetUtcNow() || issued.ClientId != Settings.GoogleOAuth.ClientId)
            return Error(400, "invalid_grant", "Bad Request");
        if (form["redirect_uri"].ToString() != issued.RedirectUri) return Error(400, "redirect_uri_mismatch", "Bad Request");
        var grant = (issued.RefreshToken ? "1//0gsandbox" : "online-") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _granted[grant] = issued.Scope;
        _state.Append(new GrantState("granted", grant, issued.Scope));
        var answer = AccessToken(grant, issued.Scope);
        if (issued.RefreshToken) answer["refresh_token"] = grant;
        return Results.Json(answer);
    }

    private IResult Refresh(string refreshToken)
    {
        var scope = refreshToken.Length == 0 || _revoked.ContainsKey(refreshToken) || refreshToken.StartsWith("online-", StringComparison.Ordinal) ? null
            : _granted.TryGetValue(refreshToken, out var granted) ? granted
            : Settings.GoogleAds.Customers.Any(c => c.RefreshToken == refreshToken) ? AdWordsScope
            : Settings.Ga4.Properties.Any(p => p.RefreshToken == refreshToken) ? AnalyticsReadOnlyScope
            : null;
        return scope is null ? Error(400, "invalid_grant", "Token has been expired or revoked.") : Results.Json(AccessToken(refreshToken, scope));
    }

    private JsonObject AccessToken(string grant, string scope)
    {
        var lifetime = Settings.GoogleOAuth.AccessTokenLifetimeSeconds;
        var token = "ya29.a0sandbox" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _issued[token] = new Issued(grant, scope, clock.GetUtcNow().AddSeconds(lifetime));
        return new JsonObject { ["access_token"] = token, ["expires_in"] = lifetime, ["scope"] = scope, ["token_type"] = "Bearer" };
    }

    /// <summary>Revokes a refresh token (with every access token issued for it), or an access token and the grant it came from.</summary>
    private async Task<IResult> Revoke(HttpContext http)
    {
        var token = http.Request.Query["token"].ToString();
        if (token.Length == 0 && http.Request.HasFormContentType) token = (await http.Request.ReadFormAsync())["token"].ToString();
        var grant = _issued.TryGetValue(token, out var issued) ? issued.Grant : token;
        var known = _granted.ContainsKey(grant)
                    || Settings.GoogleAds.Customers.Any(c => c.RefreshToken == grant) || Settings.Ga4.Properties.Any(p => p.RefreshToken == grant);
        if (token.Length == 0 || !known || !_revoked.TryAdd(grant, 0)) return Error(400, "invalid_token", "Token expired or revoked");
        _state.Append(new GrantState("revoked", grant));
        foreach (var (access, _) in _issued.Where(i => i.Value.Grant == grant)) _issued.TryRemove(access, out _);
        return Results.Json(new JsonObject());
    }

    private int RemoveAccess()
    {
        var revoked = _granted.Keys.Count(grant =>
        {
            if (!_revoked.TryAdd(grant, 0)) return false;
            _state.Append(new GrantState("revoked", grant));
            return true;
        });
        foreach (var (access, issued) in _issued.Where(i => _revoked.ContainsKey(i.Value.Grant))) _issued.TryRemove(access, out _);
        return revoked;
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    /// <summary>Google's error page for a request it cannot send back to the app: "Error 400: redirect_uri_mismatch" and its details.</summary>
    private static IResult ErrorPage(int status, string error, string detail) =>
        Results.Text($"<!doctype html><html><head><title>Error {status} ({error})</title></head><body><h1>Access blocked: authorization error</h1>"
                     + $"<p>Error {status}: {error}</p><p>{WebUtility.HtmlEncode(detail)}</p></body></html>", "text/html; charset=utf-8", statusCode: status);
}
