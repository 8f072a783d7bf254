using System.Collections.Concurrent;
using System.Text.Json;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Marketing;

/// <summary>
/// The access token of a Google account (a Google Ads customer, a GA4 property): the one configured, or, when a refresh
/// token is configured, one obtained from Google's token endpoint with the refresh token grant and kept until shortly
/// before it expires (Google's last an hour). A 401 from the API makes the client renew it once. A refresh token
/// Google refuses (<c>invalid_grant</c>: expired or revoked) fails clearly; the token endpoint's outage is transient.
/// Neither token ever reaches a log or an error.
/// </summary>
public sealed class GoogleAccessTokens(HttpClient http, IOptions<GoogleOAuthOptions> options, TimeProvider clock, ILogger<GoogleAccessTokens> logger)
{
    public const string HttpClientName = "google-oauth";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _issued = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _renewing = new(1, 1);

    private GoogleOAuthOptions Settings => options.Value;

    /// <summary>The token to send for an account configured with <paramref name="accessToken"/> and/or <paramref name="refreshToken"/>.</summary>
    public async Task<string> For(string source, string account, string? accessToken, string? refreshToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
            return string.IsNullOrEmpty(accessToken)
                ? throw new MarketingApiException(source, "NOT_CONFIGURED", $"{account} has neither an AccessToken nor a RefreshToken configured.",
                    transient: false)
                : accessToken;
        if (_issued.TryGetValue(refreshToken, out var issued) && issued.RenewAt > clock.GetUtcNow()) return issued.Token;
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_issued.TryGetValue(refreshToken, out issued) && issued.RenewAt > clock.GetUtcNow()) return issued.Token;
            var (token, lifetime) = await Renew(source, account, refreshToken, cancellationToken);
            Keep(refreshToken, token, lifetime);
            return token;
        }
        finally
        {
            _renewing.Release();
        }
    }

    /// <summary>
    /// Exchanges an authorization code from Google's consent page for the grant's tokens, with the redirect URI the code was
    /// issued for. The access token is kept for its refresh token until shortly before it expires.
    /// </summary>
    public async Task<GoogleGrant> ExchangeCode(string code, string redirectUri, CancellationToken cancellationToken)
    {
        var json = await Post("google_oauth", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = Settings.ClientId ?? "",
            ["client_secret"] = Settings.ClientSecret ?? "",
        }, "the consent's code", cancellationToken);
        var (token, lifetime) = Issued(json);
        var refreshToken = Text(json, "refresh_token");
        if (refreshToken is { Length: > 0 }) Keep(refreshToken, token, lifetime);
        return new GoogleGrant(token, refreshToken, clock.GetUtcNow() + lifetime, Text(json, "scope") ?? "");
    }

    /// <summary>Forgets the access token issued for <paramref name="refreshToken"/>: the API refused it, the next call renews it.</summary>
    public bool Forget(string? refreshToken) => !string.IsNullOrEmpty(refreshToken) && _issued.TryRemove(refreshToken, out _);

    private async Task<(string Token, TimeSpan Lifetime)> Renew(string source, string account, string refreshToken, CancellationToken cancellationToken) =>
        Issued(await Post(source, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = Settings.ClientId ?? "",
            ["client_secret"] = Settings.ClientSecret ?? "",
        }, account, cancellationToken));

    private void Keep(string refreshToken, string token, TimeSpan lifetime) =>
        _issued[refreshToken] = (token, clock.GetUtcNow() + lifetime - TimeSpan.FromSeconds(Math.Min(Settings.RenewBeforeSeconds, lifetime.TotalSeconds / 2)));

    private static (string Token, TimeSpan Lifetime) Issued(JsonElement json)
    {
        var seconds = json.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var s) ? s : 3_600;
        return (Text(json, "access_token")!, TimeSpan.FromSeconds(Math.Max(seconds, 1)));
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>One call of Google's token endpoint: its answer when it holds an access token; Google's refusal in its words otherwise.</summary>
    private async Task<JsonElement> Post(string source, Dictionary<string, string> form, string account, CancellationToken cancellationToken)
    {
        var (response, stopwatch) = await ProviderCall.Send(token => http.PostAsync(Settings.TokenUrl, new FormUrlEncodedContent(form), token),
            ("google_oauth", "token"), clock,
            (exception, _) => new MarketingApiException(source, "NETWORK", $"Google's token endpoint did not answer for {account}: {exception.Message}",
                transient: true),
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ApiCallJournal.Record("google_oauth", "token", clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode);
            logger.LogInformation("Google OAuth token ({Grant}) for {Account}: HTTP {StatusCode} in {DurationMs} ms", form["grant_type"], account,
                (int)response.StatusCode, stopwatch.ElapsedMilliseconds);
            JsonElement json = default;
            try { json = JsonDocument.Parse(body).RootElement; } catch (JsonException) { }
            if (response.IsSuccessStatusCode && Text(json, "access_token") is { Length: > 0 }) return json;
            var error = Text(json, "error") ?? $"HTTP_{(int)response.StatusCode}";
            var description = Text(json, "error_description") ?? "no description";
            if ((int)response.StatusCode >= 500)
                throw new MarketingApiException(source, error, $"Google's token endpoint failed for {account} (HTTP {(int)response.StatusCode}): {description}",
                    transient: true);
            if (form["grant_type"] == "authorization_code")
                throw new MarketingApiException(source, error, $"Google refused {account} ({error}: {description}): connect again.", transient: false);
            throw new MarketingApiException(source, error == "invalid_grant" || error == "invalid_client" ? "UNAUTHENTICATED" : error,
                $"Google refused to renew the access token of {account} ({error}: {description}). "
                + $"Grant a new refresh token, or check GoogleOAuth:ClientId and ClientSecret.",
                transient: false);
        }
    }
}
