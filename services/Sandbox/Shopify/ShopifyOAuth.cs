using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Shopify's authorization code grant for the demo shops, under each shop's own address as Shopify has it:
/// <c>GET /{shop}/admin/oauth/authorize</c> is the merchant's consent page, approving at once: it sends the browser to
/// <c>redirect_uri</c> with <c>code</c>, <c>hmac</c>, <c>host</c>, <c>shop</c>, <c>state</c> and <c>timestamp</c>, the
/// hmac the hex HMAC-SHA256 under the app's secret of the other parameters sorted and joined as <c>name=value&amp;…</c>.
/// <c>POST /{shop}/admin/oauth/access_token</c> exchanges a code once for the shop's offline token and its scopes.
/// Refusals are Shopify's: an unknown client or redirect URI is its "Oauth error invalid_request" page; a code not
/// found, expired, of another shop or used is <c>400 {"error":"invalid_request","error_description":"The
/// authorization code was not found or was already used"}</c>; client credentials it does not know are
/// <c>400 {"error":"invalid_client"}</c>.
/// </summary>
public sealed class ShopifyOAuth(IOptions<SandboxOptions> options, DemoShops shops, AppInstallations installations, TimeProvider clock)
{
    private sealed record Grant(string Shop, string Scope, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapShopifyOAuth(IEndpointRouteBuilder app)
    {
        app.MapGet("/{shop}/admin/oauth/authorize", (string shop, HttpContext http, ShopifyOAuth oauth) => oauth.Authorize(shop, http));
        app.MapPost("/{shop}/admin/oauth/access_token", (string shop, HttpContext http, ShopifyOAuth oauth) => oauth.AccessToken(shop, http));
        return app;
    }

    private IResult Authorize(string shop, HttpContext http)
    {
        if (shops.Settings(shop) is not { } settings)
            return Results.Text("<html><body>There’s no store at this address.</body></html>", "text/html", statusCode: 404);
        var query = http.Request.Query;
        var app = options.Value.ShopifyApp;
        if (query["client_id"].ToString() != app.ClientId)
            return OauthError("invalid_request: The client_id is not valid for any application");
        var redirect = query["redirect_uri"].ToString();
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var redirectUri) || redirectUri.Scheme is not ("http" or "https")
            || app.RedirectUris.Count > 0 && !app.RedirectUris.Contains(redirect, StringComparer.Ordinal))
            return OauthError("invalid_request: The redirect_uri is missing or not whitelisted");
        var scope = query["scope"].ToString();
        if (scope.Length == 0) return OauthError("invalid_scope: The scope is missing");

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = clock.GetUtcNow();
        _codes[code] = new Grant(settings.Domain, scope, now.AddSeconds(app.AuthorizationCodeSeconds));
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["code"] = code,
            ["host"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Domain}/admin")).TrimEnd('='),
            ["shop"] = settings.Domain,
            ["timestamp"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (query["state"].ToString() is { Length: > 0 } state) parameters["state"] = state;
        parameters["hmac"] = Sign(parameters, settings.AppSecret);
        var separator = redirect.Contains('?') ? '&' : '?';
        return Results.Redirect(redirect + separator + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    /// <summary>The hex HMAC-SHA256 under <paramref name="secret"/> of the parameters sorted by name as <c>name=value</c> joined by <c>&amp;</c>.</summary>
    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(string.Join('&', parameters
                .Where(p => p.Key != "hmac")
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={p.Value}")))));

    private async Task<IResult> AccessToken(string shop, HttpContext http)
    {
        if (shops.Settings(shop) is not { } settings) return Results.Json(new { errors = "Not Found" }, statusCode: 404);
        var (clientId, clientSecret, code) = await Read(http);
        if (clientId != options.Value.ShopifyApp.ClientId || clientSecret != settings.AppSecret)
            return Results.Json(new JsonObject { ["error"] = "invalid_client" }, statusCode: 400);
        if (code is null || !_codes.TryRemove(code, out var grant) || grant.Shop != settings.Domain || grant.ExpiresAt < clock.GetUtcNow())
            return Results.Json(new JsonObject
            {
                ["error"] = "invalid_request",
                ["error_description"] = "The authorization code was not found or was already used",
            }, statusCode: 400);
        installations.Reinstall(settings);
        return Results.Json(new JsonObject { ["access_token"] = settings.AccessToken, ["scope"] = grant.Scope });
    }

    /// <summary>The exchange's parameters, sent as JSON or as a form (Shopify takes both).</summary>
    private static async Task<(string? ClientId, string? ClientSecret, string? Code)> Read(HttpContext http)
    {
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync();
            return (form["client_id"].ToString(), form["client_secret"].ToString(), form["code"].ToString());
        }
        try
        {
            var body = await JsonNode.ParseAsync(http.Request.Body) as JsonObject;
            return (Text(body?["client_id"]), Text(body?["client_secret"]), Text(body?["code"]));
        }
        catch (JsonException)
        {
            return (null, null, null);
        }

        static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    private static IResult OauthError(string what) =>
        Results.Text($"<html><body><h1>Oauth error {System.Net.WebUtility.HtmlEncode(what)}</h1></body></html>", "text/html", statusCode: 400);
}
