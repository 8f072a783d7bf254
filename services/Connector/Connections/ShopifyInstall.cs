using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Shopify's install flow, the authorization code grant as shopify.dev documents it. <c>GET
/// /api/connections/shopify/install?shop=</c> (an operator) makes a state nonce bound to the caller and the shop and
/// sends the merchant to the shop's <c>/admin/oauth/authorize</c> with the app's client id, the scopes the entities
/// need and the redirect URI. Shopify sends the merchant back to <c>GET /api/connections/shopify/callback</c> (no key:
/// its <c>hmac</c> vouches for it), which checks the hmac of the query in constant time, the timestamp's age, the
/// shop's hostname and the state (once, unexpired, of that shop), exchanges the code at <c>/admin/oauth/access_token</c>,
/// checks the token with the <c>shop</c> query and connects the shop (or gives its connection the new token).
/// </summary>
public static class ShopifyInstall
{
    public static IEndpointRouteBuilder MapShopifyInstall(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/connections/shopify/install", Install).Produces<InstallStates.AuthorizeAnswer>();
        app.MapGet("/api/connections/shopify/callback", Callback).WithMetadata(new AcceptsAnonymousGatewayCaller());
        return app;
    }

    private static async Task<IResult> Install(HttpContext http, string? shop, NpgsqlDataSource dataSource, IOptions<ShopifyOptions> options,
        TimeProvider clock)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ClientId) || string.IsNullOrEmpty(settings.InstallRedirectUri))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The install flow is not set up",
                detail: "Set Shopify:ClientId, Shopify:ClientSecret and Shopify:InstallRedirectUri (the app's), "
                    + "or connect the shop with a custom app's token (POST /api/connections).");
        var caller = GatewayCaller.Of(http);
        if (caller is not null && !GatewayRoles.Acting.Contains(caller.Role))
            return Problems.Forbidden($"Installing needs the operator role; the caller '{caller.Caller}' is a {caller.Role}.");
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = ShopDomains.Normalize(domain);
        if (caller is not null && !caller.MayReach(shop)) return Problems.Forbidden($"The caller '{caller.Caller}' may not manage connections of {shop}.");

        var (state, expiresAt) = await InstallStates.Make(dataSource, clock, TimeSpan.FromSeconds(settings.InstallMaxAgeSeconds), shop,
            caller?.Caller ?? "unknown", ConnectionProviders.Shopify, null, null, http.RequestAborted);
        var url = settings.ShopUrl(shop, "/admin/oauth/authorize")
                  + $"?client_id={Uri.EscapeDataString(settings.ClientId)}&scope={Uri.EscapeDataString(settings.Scopes)}"
                  + $"&redirect_uri={Uri.EscapeDataString(settings.InstallRedirectUri)}&state={state}";
        return InstallStates.SendTo(http, url, expiresAt);
    }

    private static async Task<IResult> Callback(HttpContext http, NpgsqlDataSource dataSource, IOptions<ShopifyOptions> options, TimeProvider clock,
        ShopifyOAuthClient oauth, ConnectionChecks checks, ConnectionRegistry registry, ShopWebhooks webhooks, IOptions<ConnectionOptions> connectionOptions,
        ILogger<InstallStates.AuthorizeAnswer> logger)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ClientSecret))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The install flow is not set up",
                detail: "Shopify:ClientSecret is not set.");
        var query = http.Request.Query;
        foreach (var name in new[] { "code", "hmac", "shop", "state", "timestamp" })
            if (query[name].Count != 1 || string.IsNullOrEmpty(query[name].ToString()))
                return Problems.InvalidParameter(name, $"{name} is required once: the callback is Shopify's redirect after the merchant approved the install.");
        // First the signature: nothing unsigned reaches a state, a code or Shopify.
        if (!HmacHolds(query, settings.ClientSecret))
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid parameter 'hmac'",
                detail: "The query's hmac is not the app's signature of its parameters: this is not Shopify's redirect.",
                extensions: new Dictionary<string, object?> { ["parameter"] = "hmac" });
        var now = clock.GetUtcNow();
        if (!long.TryParse(query["timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > now.ToUnixTimeSeconds() + 60 || seconds < now.ToUnixTimeSeconds() - settings.InstallMaxAgeSeconds)
            return Problems.InvalidParameter("timestamp", $"The redirect is older than {settings.InstallMaxAgeSeconds} s (or from the future): install again.");
        var shop = query["shop"].ToString();
        if (ShopDomains.Validate(shop) is { } refusal) return Problems.InvalidParameter("shop", refusal);
        shop = ShopDomains.Normalize(shop);

        string caller;
        await using (var use = dataSource.CreateCommand("""
            UPDATE connector.install_state SET used_at = now()
            WHERE state = @state AND provider = 'shopify' AND used_at IS NULL AND expires_at > now()
            RETURNING shop_domain, caller
            """))
        {
            use.Parameters.AddWithValue("state", query["state"].ToString());
            await using var reader = await use.ExecuteReaderAsync(http.RequestAborted);
            if (!await reader.ReadAsync(http.RequestAborted))
                return Problems.InvalidParameter("state", "The state is not one this deployment made, or it was used or has expired: install again.");
            if (reader.GetString(0) != shop) return Problems.InvalidParameter("state", $"The state was made for another shop than {shop}.");
            caller = reader.GetString(1);
        }

        ShopifyGrant grant;
        try
        {
            grant = await oauth.ExchangeCode(shop, query["code"].ToString(), http.RequestAborted);
        }
        catch (ShopifyApiException exception)
        {
            return TypedResults.Problem(statusCode: exception.Transient ? StatusCodes.Status502BadGateway : StatusCodes.Status422UnprocessableEntity,
                title: exception.Transient ? "Shopify did not answer" : "Shopify refused the code", detail: exception.Message,
                extensions: new Dictionary<string, object?> { ["parameter"] = "code" });
        }
        var credentials = new Credentials(grant.AccessToken, Scope: grant.Scope);
        var check = await checks.Check(ConnectionProviders.Shopify, shop, credentials, http.RequestAborted);
        if (check.Status == ConnectionStatuses.Failing)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Shopify refused the new token", detail: check.Reason);

        var existing = await registry.Live(ConnectionProviders.Shopify, shop, http.RequestAborted);
        var connection = existing is not null
            ? await registry.Replace(existing.Snapshot.ConnectionId, ConnectionProviders.Shopify, credentials, check, http.RequestAborted)
            : await registry.Create(
                new NewConnection(shop, ConnectionProviders.Shopify, shop, null, ConnectionEndpoints.DefaultCron(shop, connectionOptions.Value),
                    [], null, null, false), credentials, check, caller, http.RequestAborted);
        if (connection is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Connected meanwhile",
                detail: $"{shop} was connected by another request meanwhile.");
        if (check.Status == ConnectionStatuses.Active) await webhooks.Subscribe(shop, http.RequestAborted);
        logger.LogInformation("{ShopDomain} installed the app for {Caller}: connection {ConnectionId}, {Status}, scopes {Scopes}", shop, caller,
            connection.Snapshot.ConnectionId, connection.Snapshot.Status, grant.Scope);
        var separator = settings.InstallReturnUrl.Contains('?') ? '&' : '?';
        return TypedResults.Redirect(
            $"{settings.InstallReturnUrl}{separator}connection_id={connection.Snapshot.ConnectionId}&status={connection.Snapshot.Status}");
    }

    /// <summary>
    /// Whether <c>hmac</c> is the hex HMAC-SHA256, under the app's client secret, of the other parameters sorted by name
    /// and written <c>name=value</c> joined by <c>&amp;</c> (shopify.dev, "Verify the installation request"); compared in
    /// constant time.
    /// </summary>
    public static bool HmacHolds(IQueryCollection query, string secret)
    {
        var message = string.Join('&', query.Where(p => p.Key is not ("hmac" or "signature")).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message));
        byte[] given;
        try
        {
            given = Convert.FromHexString(query["hmac"].ToString());
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
