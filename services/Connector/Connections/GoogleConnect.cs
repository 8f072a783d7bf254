using GrowthOs.Connector.Marketing;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Google's OAuth 2.0 authorization code flow for web server applications, as developers.google.com documents it, for
/// a shop's Google Ads customer or GA4 property. <c>GET /api/connections/google/authorize?shop=&amp;provider=&amp;account=</c>
/// (an operator) makes a state nonce bound to the caller, the shop and the account, and sends the person to Google's
/// consent page with the client id, the redirect URI, the provider's one scope, <c>access_type=offline</c> (a refresh
/// token) and <c>prompt=consent</c> (Google gives the refresh token again only when asked to). Google sends the person
/// back to <c>GET /api/connections/google/callback</c> (no key: the state vouches for it), which takes the state once,
/// exchanges the code, keeps the refresh token sealed, checks the account with the new access token and connects it.
/// </summary>
public static class GoogleConnect
{
    private static readonly Dictionary<string, string> Scopes = new(StringComparer.Ordinal)
    {
        [ConnectionProviders.GoogleAds] = "https://www.googleapis.com/auth/adwords",
        [ConnectionProviders.Ga4] = "https://www.googleapis.com/auth/analytics.readonly",
    };

    public static IEndpointRouteBuilder MapGoogleConnect(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/connections/google/authorize", Authorize).Produces<InstallStates.AuthorizeAnswer>();
        app.MapGet("/api/connections/google/callback", Callback).WithMetadata(new AcceptsAnonymousGatewayCaller());
        return app;
    }

    private static async Task<IResult> Authorize(HttpContext http, string? shop, string? provider, string? account, string? login_customer_id,
        NpgsqlDataSource dataSource, ConnectionRegistry registry, IOptions<GoogleOAuthOptions> options, TimeProvider clock)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ClientId) || string.IsNullOrEmpty(settings.ClientSecret) || string.IsNullOrEmpty(settings.RedirectUri))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Google's consent flow is not set up",
                detail: "Set GoogleOAuth:ClientId, GoogleOAuth:ClientSecret and GoogleOAuth:RedirectUri (the OAuth client's), "
                    + "or connect with a refresh token (POST /api/connections).");
        var caller = GatewayCaller.Of(http);
        if (caller is not null && !GatewayRoles.Acting.Contains(caller.Role))
            return Problems.Forbidden($"Connecting needs the operator role; the caller '{caller.Caller}' is a {caller.Role}.");
        if (provider is null || !Scopes.TryGetValue(provider, out var scope))
            return Problems.InvalidParameter("provider",
                $"provider is {ConnectionProviders.GoogleAds} (a Google Ads customer) or {ConnectionProviders.Ga4} (a GA4 property).");
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = ShopDomains.Normalize(domain);
        if (caller is not null && !caller.MayReach(shop)) return Problems.Forbidden($"The caller '{caller.Caller}' may not manage connections of {shop}.");
        if (ConnectionEndpoints.AccountProblem(provider, account, out var id) is { } accountProblem) return accountProblem;
        string? manager = null;
        if (login_customer_id is not null)
        {
            if (provider != ConnectionProviders.GoogleAds || ConnectionEndpoints.AccountProblem(provider, login_customer_id, out manager) is not null)
                return Problems.InvalidParameter("login_customer_id",
                    "login_customer_id is the manager account a Google Ads customer is reached through: ten digits, with or without dashes.");
        }
        if (await Taken(registry, shop, provider, id, http.RequestAborted) is { } taken) return taken;

        var (state, expiresAt) = await InstallStates.Make(dataSource, clock, TimeSpan.FromSeconds(settings.StateMaxAgeSeconds), shop,
            caller?.Caller ?? "unknown", provider, id, manager, http.RequestAborted);
        var url = settings.AuthorizeUrl + (settings.AuthorizeUrl.Contains('?') ? '&' : '?')
                  + $"client_id={Uri.EscapeDataString(settings.ClientId)}&redirect_uri={Uri.EscapeDataString(settings.RedirectUri)}&response_type=code"
                  + $"&scope={Uri.EscapeDataString(scope)}&access_type=offline&prompt=consent&include_granted_scopes=true&state={state}";
        return InstallStates.SendTo(http, url, expiresAt);
    }

    private static async Task<IResult> Callback(HttpContext http, NpgsqlDataSource dataSource, IOptions<GoogleOAuthOptions> options, GoogleAccessTokens tokens,
        ConnectionChecks checks, ConnectionRegistry registry, IOptions<ConnectionOptions> connectionOptions, ILogger<InstallStates.AuthorizeAnswer> logger)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.RedirectUri))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Google's consent flow is not set up",
                detail: "GoogleOAuth:RedirectUri is not set.");
        var query = http.Request.Query;
        if (query["state"].Count != 1 || string.IsNullOrEmpty(query["state"].ToString()))
            return Problems.InvalidParameter("state", "state is required once: the callback is Google's redirect after the person consented.");

        // The state is taken once, whatever follows: a consent refused or a code refused is connected again from the start.
        string shop, caller, provider, account;
        string? manager;
        await using (var use = dataSource.CreateCommand("""
            UPDATE connector.install_state SET used_at = now()
            WHERE state = @state AND provider <> 'shopify' AND used_at IS NULL AND expires_at > now()
            RETURNING shop_domain, caller, provider, account, login_customer_id
            """))
        {
            use.Parameters.AddWithValue("state", query["state"].ToString());
            await using var reader = await use.ExecuteReaderAsync(http.RequestAborted);
            if (!await reader.ReadAsync(http.RequestAborted))
                return Problems.InvalidParameter("state", "The state is not one this deployment made, or it was used or has expired: connect again.");
            (shop, caller, provider, account) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            manager = reader.IsDBNull(4) ? null : reader.GetString(4);
        }
        if (query["error"].ToString() is { Length: > 0 } error)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Google gave no access",
                detail: $"Google answered {error}{(error == "access_denied" ? ": the person did not grant access" : "")}. Nothing was connected.",
                extensions: new Dictionary<string, object?> { ["parameter"] = "error" });
        if (query["code"].Count != 1 || string.IsNullOrEmpty(query["code"].ToString()))
            return Problems.InvalidParameter("code", "code is required once: the callback is Google's redirect after the person consented.");

        GoogleGrant grant;
        try
        {
            grant = await tokens.ExchangeCode(query["code"].ToString(), settings.RedirectUri, http.RequestAborted);
        }
        catch (MarketingApiException exception)
        {
            return TypedResults.Problem(statusCode: exception.Transient ? StatusCodes.Status502BadGateway : StatusCodes.Status422UnprocessableEntity,
                title: exception.Transient ? "Google did not answer" : "Google refused the code", detail: exception.Message,
                extensions: new Dictionary<string, object?> { ["parameter"] = "code" });
        }
        // Google lets a person grant fewer scopes than asked, and gives no refresh token without offline access.
        var scope = Scopes[provider];
        if (!grant.Grants(scope) || grant.RefreshToken is not { Length: > 0 } refreshToken)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Google's grant is not enough",
                detail: grant.Grants(scope)
                    ? "Google gave no refresh token: the grant has no offline access. Connect again and consent."
                    : $"The person did not grant {scope}: {ConnectionEndpoints.ProviderName(provider)} cannot be read. Connect again and allow it.",
                extensions: new Dictionary<string, object?> { ["parameter"] = "scope" });

        var credentials = new Credentials(grant.AccessToken, refreshToken, grant.ExpiresAt, grant.Scope);
        var check = await checks.Check(provider, account, credentials, http.RequestAborted, shop, manager);
        if (check.Status == ConnectionStatuses.Failing)
            return ConnectionEndpoints.Refused($"{ConnectionEndpoints.ProviderName(provider)} refused the connection", check, "account");

        var existing = await registry.Live(provider, account, http.RequestAborted);
        if (existing is not null && existing.Snapshot.ShopDomain != shop
            || existing is null && await Taken(registry, shop, provider, account, http.RequestAborted) is not null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Connected meanwhile",
                detail: $"{ConnectionEndpoints.ProviderName(provider)} account {account}, or another account of {shop}, was connected meanwhile.");
        var connection = existing is not null
            ? await registry.Replace(existing.Snapshot.ConnectionId, provider, credentials, check, http.RequestAborted)
            : await registry.Create(
                new NewConnection(shop, provider, account, manager, ConnectionEndpoints.DefaultCron($"{provider}:{account}", connectionOptions.Value),
                    [], null, null, false), credentials, check, caller, http.RequestAborted);
        if (connection is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Connected meanwhile",
                detail: $"{ConnectionEndpoints.ProviderName(provider)} account {account} was connected by another request meanwhile.");
        logger.LogInformation(
            "{Provider} account {Account} of {ShopDomain} connected through Google's consent for {Caller}: connection {ConnectionId}, {Status}",
            provider, account, shop, caller, connection.Snapshot.ConnectionId, connection.Snapshot.Status);
        var separator = settings.ReturnUrl.Contains('?') ? '&' : '?';
        return TypedResults.Redirect($"{settings.ReturnUrl}{separator}connection_id={connection.Snapshot.ConnectionId}&status={connection.Snapshot.Status}");
    }

    /// <summary>
    /// The account is another shop's (named only as taken), or the shop has another account of the provider: 409. The
    /// shop's own connection of this account may be given a new grant (connected again after it failed).
    /// </summary>
    private static async Task<IResult?> Taken(ConnectionRegistry registry, string shop, string provider, string account, CancellationToken cancellationToken)
    {
        if (await registry.Live(provider, account, cancellationToken) is { } live)
            return live.Snapshot.ShopDomain == shop ? null
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already connected",
                    detail: $"{ConnectionEndpoints.ProviderName(provider)} account {account} is already connected to another shop.",
                    extensions: new Dictionary<string, object?> { ["parameter"] = "account" });
        return await ConnectionEndpoints.OneOfShop(registry, shop, provider, cancellationToken);
    }
}
