using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Meta;
using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Scheduling;
using GrowthOs.ServiceDefaults.Security;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// The connections API, behind the gateway: list, read, connect (checked at once with the provider), change settings,
/// pause, resume, check again, disconnect. Credentials go in and never come out: no answer holds them. A caller limited
/// to some shops sees and manages only their connections; another shop's connection is not found for it.
/// </summary>
public static class ConnectionEndpoints
{
    public const int MaxTokenLength = 1_024;
    public const int MaxLookbackMinutes = 7 * 24 * 60;

    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        // The handlers answer several statuses through TypedResults; what each answers is declared here for the document.
        app.MapGet("/api/connections", List).Produces<ConnectionList>();
        app.MapGet("/api/connections/{id:guid}", Get).Produces<ConnectionView>();
        app.MapPost("/api/connections", Connect)
            .Produces<ConnectionView>(StatusCodes.Status201Created)
            .Produces<ConnectionView>(StatusCodes.Status202Accepted);
        app.MapPatch("/api/connections/{id:guid}", ChangeSettings).Produces<ConnectionView>();
        app.MapPost("/api/connections/{id:guid}/pause", (Guid id, HttpContext http, ConnectionRegistry registry) => Pause(id, true, http, registry))
            .Produces<ConnectionView>();
        app.MapPost("/api/connections/{id:guid}/resume", (Guid id, HttpContext http, ConnectionRegistry registry) => Pause(id, false, http, registry))
            .Produces<ConnectionView>();
        app.MapPost("/api/connections/{id:guid}/check", CheckAgain).Produces<ConnectionView>();
        // A disconnection answers the connection; with purge=true, the purge's report (202 while services have not answered).
        app.MapDelete("/api/connections/{id:guid}", Disconnect).Produces<ConnectionView>().Produces<PurgeReport>(StatusCodes.Status202Accepted);
        app.MapGet("/api/connections/purges/{id:guid}", Purge).Produces<PurgeReport>();
        return app;
    }

    /// <summary>A connection as the API shows it: what it is, what its check found, its settings; never its credentials.</summary>
    public sealed record ConnectionView(
        Guid Id, string Shop, string Provider, string Account, string? LoginCustomerId, string Status, string? StatusReason, string? Name, string? Currency,
        string? TimeZone, string? Plan, string? AccountStatus, DateTimeOffset? CheckedAt, ConnectionSettingsView Settings, bool HasCredentials,
        DateTimeOffset? CredentialExpiresAt, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version)
    {
        public static ConnectionView Of(ConnectionRecord record)
        {
            var s = record.Snapshot;
            return new ConnectionView(s.ConnectionId, s.ShopDomain, s.Provider, s.Account, s.LoginCustomerId, s.Status, s.StatusReason, s.Name, s.CurrencyCode,
                s.TimeZone, s.Plan, s.AccountStatus, record.CheckedAt,
                new ConnectionSettingsView(s.Cron, s.TimeZone ?? "UTC", s.Entities, s.HistoryStart, s.LookbackMinutes, record.Paused, record.AvoidHours),
                record.HasCredentials, record.CredentialExpiresAt, record.CreatedBy, record.CreatedAt, s.ChangedAt, s.Version);
        }
    }

    /// <summary>
    /// A connection's settings; <c>cron_time_zone</c> is the zone its cron is read in (the shop's own), and
    /// <c>avoid_hours</c> the hours of the shop's day its syncs keep out of.
    /// </summary>
    public sealed record ConnectionSettingsView(string Cron, string CronTimeZone, IReadOnlyList<string> Entities, DateOnly? HistoryStart, int? LookbackMinutes,
        bool Paused, IReadOnlyList<int> AvoidHours);

    public sealed record ConnectionList(IReadOnlyList<ConnectionView> Connections);

    public sealed record ConnectRequest(
        [property: JsonPropertyName("shop")] string? Shop,
        [property: JsonPropertyName("provider")] string? Provider,
        [property: JsonPropertyName("account")] string? Account,
        [property: JsonPropertyName("login_customer_id")] string? LoginCustomerId,
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("private_key")] string? PrivateKey,
        [property: JsonPropertyName("exchange")] bool? Exchange,
        [property: JsonPropertyName("cron")] string? Cron,
        [property: JsonPropertyName("entities")] List<string>? Entities,
        [property: JsonPropertyName("history_start")] DateOnly? HistoryStart,
        [property: JsonPropertyName("lookback_minutes")] int? LookbackMinutes,
        [property: JsonPropertyName("paused")] bool? Paused,
        [property: JsonPropertyName("avoid_hours")] List<int>? AvoidHours);

    public sealed record SettingsRequest(
        [property: JsonPropertyName("cron")] string? Cron,
        [property: JsonPropertyName("entities")] List<string>? Entities,
        [property: JsonPropertyName("history_start")] DateOnly? HistoryStart,
        [property: JsonPropertyName("lookback_minutes")] int? LookbackMinutes,
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("private_key")] string? PrivateKey,
        [property: JsonPropertyName("avoid_hours")] List<int>? AvoidHours);

    private const string ConnectShape =
        """{ "shop": "name.myshopify.com", "provider": "shopify", "meta", "google_ads", "ga4" or "klaviyo", "account"? (the ad account, customer,"""
        + """ property or Klaviyo account), "login_customer_id"? (google_ads: its manager), "access_token" (shopify, meta), "refresh_token" """
        + """(google_ads, ga4) or "private_key" (klaviyo): "…","""
        + """ "exchange"? (meta: a short-lived token), "cron"?, "entities"?, "history_start"?, "lookback_minutes"?, "paused"?, "avoid_hours"? }""";

    private const string SettingsShape =
        """{ "cron"?, "entities"?, "history_start"?, "lookback_minutes"?, "access_token"?, "refresh_token"? (google_ads, ga4) or "private_key"? """
        + """(klaviyo), "avoid_hours"? }""";

    private static async Task<IResult> List(HttpContext http, ConnectionRegistry registry, string? shop, string? include)
    {
        var caller = GatewayCaller.Of(http);
        if (include is not (null or "disconnected"))
            return Problems.InvalidParameter("include", "include is 'disconnected' (to list disconnected connections too) or absent.");
        string[] shops;
        if (!string.IsNullOrWhiteSpace(shop))
        {
            if (ShopDomains.Validate(shop) is { } refusal) return Problems.InvalidParameter("shop", refusal);
            shops = [ShopDomains.Normalize(shop)];
        }
        else shops = caller?.Shops.ToArray() ?? [];
        var records = await registry.List(shops, include == "disconnected", http.RequestAborted);
        return TypedResults.Json(new ConnectionList(records.Where(r => Reaches(caller, r)).Select(ConnectionView.Of).ToList()), ApiJson.Options);
    }

    private static async Task<IResult> Get(Guid id, HttpContext http, ConnectionRegistry registry) =>
        await Find(id, http, registry) is { } record ? TypedResults.Json(ConnectionView.Of(record), ApiJson.Options) : NotFound(id);

    private static async Task<IResult> Connect(HttpContext http, ConnectionRegistry registry, ConnectionChecks checks, ShopWebhooks webhooks,
        IOptions<ConnectionOptions> options, ILogger<ConnectRequest> logger, MetaInsightsClient meta)
    {
        var (request, problem) = await JsonBody.Read<ConnectRequest>(http.Request, ConnectShape);
        if (problem is not null) return problem;
        if (request is null) return Problems.InvalidParameter("body", $"The body must be {ConnectShape}.");
        var provider = request.Provider ?? ConnectionProviders.Shopify;
        if (!ConnectionProviders.All.Contains(provider))
            return Problems.InvalidParameter("provider",
                $"provider is {ConnectionProviders.Shopify} (a shop, with its Admin API token), "
                + $"{ConnectionProviders.Meta} (an ad account of the shop, with a system user's or a long-lived token), "
                + $"{ConnectionProviders.GoogleAds} (a Google Ads customer) or {ConnectionProviders.Ga4} (a GA4 property), "
                + "each with a refresh token of this deployment's Google OAuth client, "
                + $"or {ConnectionProviders.Klaviyo} (a Klaviyo account, with its private API key).");
        if (ShopQuery.Bind(request.Shop, out var requested) is { } badShop) return badShop;
        var shop = ShopDomains.Normalize(requested);
        var caller = GatewayCaller.Of(http);
        if (caller is not null && !caller.MayReach(shop)) return Problems.Forbidden($"The caller '{caller.Caller}' may not manage connections of {shop}.");
        var account = shop;
        if (provider != ConnectionProviders.Shopify)
        {
            if (AccountProblem(provider, request.Account, out var id) is { } accountProblem) return accountProblem;
            account = id;
        }
        string? loginCustomerId = null;
        if (request.LoginCustomerId is not null)
        {
            if (provider != ConnectionProviders.GoogleAds)
                return Problems.InvalidParameter("login_customer_id",
                    "login_customer_id is the manager account a Google Ads customer is reached through (google_ads only).");
            if (AccountProblem(ConnectionProviders.GoogleAds, request.LoginCustomerId, out var manager) is not null)
                return Problems.InvalidParameter("login_customer_id",
                    "login_customer_id is the manager account's customer id: ten digits, with or without dashes.");
            loginCustomerId = manager;
        }
        var google = provider is ConnectionProviders.GoogleAds or ConnectionProviders.Ga4;
        var klaviyo = provider == ConnectionProviders.Klaviyo;
        if (klaviyo && (request.AccessToken ?? request.RefreshToken) is not null)
            return Problems.InvalidParameter(request.AccessToken is null ? "refresh_token" : "access_token",
                "A Klaviyo account is connected with its private_key, not a token.");
        if (!klaviyo && request.PrivateKey is not null)
            return Problems.InvalidParameter("private_key", "private_key is a Klaviyo account's private API key (klaviyo only).");
        if (klaviyo && !IsToken(request.PrivateKey))
            return Problems.InvalidParameter("private_key",
                $"private_key is required: the Klaviyo account's private API key, pk_… (at most {MaxTokenLength} printable ASCII characters, no spaces), "
                + "with read access to accounts, metrics, flows, campaigns and reports.");
        if (!klaviyo && (google ? !IsToken(request.RefreshToken) : !IsToken(request.AccessToken)))
            return google
                ? Problems.InvalidParameter("refresh_token",
                    $"refresh_token is required: a refresh token this deployment's Google OAuth client was granted "
                    + $"(at most {MaxTokenLength} printable ASCII characters, no spaces), or connect through GET /api/connections/google/authorize.")
                : Problems.InvalidParameter("access_token",
                    "access_token is required: the "
                    + $"{(provider == ConnectionProviders.Meta ? "ad account's Marketing API token" : "shop's Admin API access token")} "
                    + $"(at most {MaxTokenLength} printable ASCII characters, no spaces).");
        var avoid = request.AvoidHours?.Distinct().Order().ToList() ?? [];
        if (AvoidHoursProblem(avoid) is { } avoidProblem) return avoidProblem;
        // An account's default schedule is spread by the account, so that it does not start with its shop's sync.
        var cron = request.Cron ?? DefaultCron(provider == ConnectionProviders.Shopify ? shop : $"{provider}:{account}", options.Value, avoid);
        if (SettingsProblem(cron, request.Entities, request.HistoryStart, request.LookbackMinutes, avoid) is { } settingsProblem) return settingsProblem;

        if (await OneOfShop(registry, shop, provider, http.RequestAborted) is { } taken) return taken;
        var credentials = google ? new Credentials("", request.RefreshToken) : new Credentials(klaviyo ? request.PrivateKey! : request.AccessToken!);
        if (request.Exchange == true)
        {
            if (provider != ConnectionProviders.Meta) return Problems.InvalidParameter("exchange", "exchange is for a Meta user's short-lived token only.");
            try
            {
                var (longLived, expiresAt) = await meta.ExchangeForLongLived(request.AccessToken!, http.RequestAborted);
                credentials = new Credentials(longLived, ExpiresAt: expiresAt);
            }
            catch (MarketingApiException exception) when (exception.Code == "NOT_CONFIGURED")
            {
                return Problems.InvalidParameter("exchange", exception.Message);
            }
            catch (MarketingApiException exception)
            {
                return Refused("Meta refused the token exchange", CheckResult.Refused(exception.Message));
            }
        }
        var check = await checks.Check(provider, account, credentials, http.RequestAborted, shop, loginCustomerId);
        if (check.Status == ConnectionStatuses.Failing)
            return Refused($"{ProviderName(provider)} refused the connection", check, google ? "refresh_token" : klaviyo ? "private_key" : "access_token");

        var connection = new NewConnection(shop, provider, account, loginCustomerId, cron, request.Entities?.Distinct().ToList() ?? [], request.HistoryStart,
            request.LookbackMinutes, request.Paused ?? false, avoid);
        var created = await registry.Create(connection, credentials, check, caller?.Caller ?? "unknown", http.RequestAborted);
        if (created is null)
        {
            // Another shop's connection is named only to a caller that may reach that shop.
            var existing = await registry.Live(provider, account, http.RequestAborted) is { } live && Reaches(caller, live) ? live : null;
            var what = provider == ConnectionProviders.Shopify ? shop : $"{ProviderName(provider)} account {account}";
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already connected",
                detail: $"{what} is already connected"
                    + $"{(existing is null ? "" : $" (connection {existing.Snapshot.ConnectionId}, of {existing.Snapshot.ShopDomain})")}"
                    + ": change its token with PATCH, or delete it first.",
                extensions: new Dictionary<string, object?>
                {
                    ["parameter"] = provider == ConnectionProviders.Shopify ? "shop" : "account", ["connection_id"] = existing?.Snapshot.ConnectionId,
                });
        }
        logger.LogInformation("Connection {ConnectionId} of {ShopDomain} ({Provider}) made by {Caller}: {Status}", created.Snapshot.ConnectionId,
            shop, provider, caller?.Caller, created.Snapshot.Status);
        if (check.Status == ConnectionStatuses.Active && provider == ConnectionProviders.Shopify) await webhooks.Subscribe(shop, http.RequestAborted);
        var view = ConnectionView.Of(created);
        // Checked and active: made. The provider could not be asked: kept pending and checked again.
        http.Response.Headers.Location = $"/api/connections/{view.Id}";
        return TypedResults.Json(view, ApiJson.Options,
            statusCode: check.Status == ConnectionStatuses.Active ? StatusCodes.Status201Created : StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ChangeSettings(Guid id, HttpContext http, ConnectionRegistry registry, ConnectionChecks checks,
        IOptions<ConnectionOptions> options)
    {
        var (request, problem) = await JsonBody.Read<SettingsRequest>(http.Request, SettingsShape);
        if (problem is not null) return problem;
        if (request is null) return Problems.InvalidParameter("body", $"The body must be {SettingsShape}.");
        if (await Find(id, http, registry) is not { } record) return NotFound(id);
        var avoid = request.AvoidHours?.Distinct().Order().ToList();
        if (avoid is not null && AvoidHoursProblem(avoid) is { } avoidProblem) return avoidProblem;
        // A schedule nobody chose (the default) moves out of new hours to avoid by itself; one a person chose is held to them.
        var cron = request.Cron;
        var key = record.Snapshot.Provider == ConnectionProviders.Shopify
            ? record.Snapshot.ShopDomain
            : $"{record.Snapshot.Provider}:{record.Snapshot.Account}";
        if (cron is null && avoid is not null && record.Snapshot.Cron == DefaultCron(key, options.Value, record.AvoidHours))
            cron = DefaultCron(key, options.Value, avoid);
        // A new schedule is held to the hours to avoid (new or kept), and new hours to avoid to the schedule (new or kept).
        if (SettingsProblem(cron ?? (avoid is null ? null : record.Snapshot.Cron), request.Entities, request.HistoryStart, request.LookbackMinutes,
                avoid ?? record.AvoidHours) is { } settingsProblem) return settingsProblem;
        var google = record.Snapshot.Provider is ConnectionProviders.GoogleAds or ConnectionProviders.Ga4;
        var klaviyo = record.Snapshot.Provider == ConnectionProviders.Klaviyo;
        var tokenName = google ? "refresh_token" : klaviyo ? "private_key" : "access_token";
        var given = new Dictionary<string, string?>
        {
            ["access_token"] = request.AccessToken, ["refresh_token"] = request.RefreshToken, ["private_key"] = request.PrivateKey,
        };
        if (given.FirstOrDefault(g => g.Key != tokenName && g.Value is not null) is { Key: { } wrong })
            return Problems.InvalidParameter(wrong, $"A {ProviderName(record.Snapshot.Provider)} connection is given a new {tokenName}.");
        if (given[tokenName] is { } token)
        {
            if (!IsToken(token))
                return Problems.InvalidParameter(tokenName,
                    $"{tokenName} must be the new token (at most {MaxTokenLength} printable ASCII characters, no spaces).");
            var credentials = google ? new Credentials("", token) : new Credentials(token);
            var check = await checks.Check(record.Snapshot.Provider, record.Snapshot.Account, credentials, http.RequestAborted, record.Snapshot.ShopDomain,
                record.Snapshot.LoginCustomerId);
            if (check.Status == ConnectionStatuses.Failing) return Refused($"{ProviderName(record.Snapshot.Provider)} refused the token", check, tokenName);
            record = await registry.Replace(id, record.Snapshot.Provider, credentials, check, http.RequestAborted) ?? record;
        }
        var changed = await registry.ChangeSettings(id, new SettingsChange(cron, request.Entities?.Distinct().ToList(), request.HistoryStart,
            request.LookbackMinutes, avoid), http.RequestAborted);
        return changed is null ? NotFound(id) : TypedResults.Json(ConnectionView.Of(changed), ApiJson.Options);
    }

    private static async Task<IResult> Pause(Guid id, bool paused, HttpContext http, ConnectionRegistry registry)
    {
        if (await Find(id, http, registry) is not { } record) return NotFound(id);
        var changed = await registry.Pause(id, paused, http.RequestAborted);
        return TypedResults.Json(ConnectionView.Of(changed ?? record), ApiJson.Options);
    }

    private static async Task<IResult> CheckAgain(Guid id, HttpContext http, ConnectionRegistry registry, ConnectionChecks checks)
    {
        if (await Find(id, http, registry) is not { } record) return NotFound(id);
        if (await registry.CredentialsOf(id, http.RequestAborted) is not { } credentials)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No credentials",
                detail: $"Connection {id} holds no credentials to check.");
        var check = await checks.Check(record.Snapshot.Provider, record.Snapshot.Account, credentials, http.RequestAborted, record.Snapshot.ShopDomain,
            record.Snapshot.LoginCustomerId);
        var checkedRecord = await registry.RecordCheck(id, check, http.RequestAborted);
        return checkedRecord is null ? NotFound(id) : TypedResults.Json(ConnectionView.Of(checkedRecord), ApiJson.Options);
    }

    /// <summary>
    /// Disconnects the connection and destroys its credentials. With <c>purge=true</c> (a shop's own connection), every
    /// connection of the shop is disconnected and every row and archived object of the shop is removed in every service:
    /// the answer is the purge's report, 200 once every service said what it removed, else 202 with where to read it.
    /// </summary>
    private static async Task<IResult> Disconnect(Guid id, HttpContext http, ConnectionRegistry registry, ShopPurges purges,
        IOptions<ConnectionOptions> options, TimeProvider clock, ILogger<ConnectRequest> logger, ConfiguredShops settings, string? purge)
    {
        if (purge is not (null or "true" or "false"))
            return Problems.InvalidParameter("purge", "purge is 'true' (remove every row and archived object of the shop too) or 'false'.");
        if (await Find(id, http, registry) is not { } record) return NotFound(id);
        var caller = GatewayCaller.Of(http)?.Caller ?? "unknown";
        if (purge != "true")
        {
            var disconnected = await registry.Disconnect(id, $"deleted by {caller}", http.RequestAborted);
            if (disconnected is null) return NotFound(id);
            logger.LogInformation("Connection {ConnectionId} of {ShopDomain} disconnected by {Caller}; its credentials are destroyed", id,
                disconnected.Snapshot.ShopDomain, caller);
            return TypedResults.Json(ConnectionView.Of(disconnected), ApiJson.Options);
        }
        if (record.Snapshot.Provider != ConnectionProviders.Shopify)
            return Problems.InvalidParameter("purge",
                "purge removes a whole shop: give the shop's own connection (provider shopify), not one of its accounts.");
        var shop = record.Snapshot.ShopDomain;
        // A shop the settings still name would be synced again by its next run: it is taken out of them first.
        if (settings.Named(shop) is { } setting)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Named in the settings",
                detail: $"{shop} is named in the Connector's settings ({setting}): its next run would bring its data back. "
                    + "Take it out of the settings, then purge it.",
                extensions: new Dictionary<string, object?> { ["parameter"] = "purge" });
        var purgeId = NewId.NextGuid();
        await purges.PurgeShop(purgeId, id, shop, $"connection {id} deleted with purge by {caller}", caller, http.RequestAborted);
        logger.LogInformation("Connection {ConnectionId} of {ShopDomain} deleted with purge {PurgeId} by {Caller}", id, shop, purgeId, caller);

        var waitUntil = clock.GetUtcNow().AddSeconds(options.Value.PurgeWaitSeconds);
        var report = await purges.Report(purgeId, http.RequestAborted);
        while (report is { Complete: false } && clock.GetUtcNow() < waitUntil)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, http.RequestAborted);
            report = await purges.Report(purgeId, http.RequestAborted);
        }
        http.Response.Headers.Location = $"/api/connections/purges/{purgeId}";
        return TypedResults.Json(report, ApiJson.Options, statusCode: report!.Complete ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// A purge's report: what each service removed, and which have not answered yet. A purge names no shop once done, so a
    /// caller limited to some shops reads only the purges it asked for itself.
    /// </summary>
    private static async Task<IResult> Purge(Guid id, ShopPurges purges, HttpContext http)
    {
        var caller = GatewayCaller.Of(http);
        return await purges.Report(id, http.RequestAborted) is { } report && (caller is null || caller.Shops.Count == 0 || report.RequestedBy == caller.Caller)
            ? TypedResults.Json(report, ApiJson.Options)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Purge not found", detail: $"No purge {id} that this caller may see.");
    }

    /// <summary>The connection, when the caller may reach its shop; another shop's connection is not found for it.</summary>
    private static async Task<ConnectionRecord?> Find(Guid id, HttpContext http, ConnectionRegistry registry) =>
        await registry.Get(id, http.RequestAborted) is { } record && Reaches(GatewayCaller.Of(http), record) ? record : null;

    private static bool Reaches(GatewayCaller? caller, ConnectionRecord record) => caller is null || caller.MayReach(record.Snapshot.ShopDomain);

    /// <summary>The provider refused the token given: 422 naming it, in the provider's words; nothing is stored.</summary>
    internal static IResult Refused(string title, CheckResult check, string parameter = "access_token") =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: check.Reason,
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    /// <summary>
    /// An account's id as its provider writes it, normalized: a Meta ad account's digits (with or without <c>act_</c>), a
    /// Google Ads customer's ten digits (with or without dashes), a GA4 property's digits (with or without <c>properties/</c>).
    /// </summary>
    internal static IResult? AccountProblem(string provider, string? given, out string account)
    {
        var id = given?.Trim() ?? "";
        (id, var shape) = provider switch
        {
            ConnectionProviders.Meta => (id.StartsWith("act_", StringComparison.Ordinal) ? id[4..] : id,
                "the Meta ad account's id: digits, with or without act_ (act_1029384756)"),
            ConnectionProviders.GoogleAds => (id.Replace("-", ""), "the Google Ads customer id: ten digits, with or without dashes (123-456-7890)"),
            ConnectionProviders.Klaviyo => (id, "the Klaviyo account's id, its public API key (site id): six letters and digits (AbC123)"),
            _ => (id.StartsWith("properties/", StringComparison.Ordinal) ? id["properties/".Length..] : id,
                "the GA4 property's id: digits, with or without properties/ (properties/312345678)"),
        };
        account = id;
        if (provider == ConnectionProviders.Klaviyo)
            return id.Length is >= 6 and <= 12 && id.All(char.IsAsciiLetterOrDigit) ? null : Problems.InvalidParameter("account", $"account is {shape}.");
        var fits = provider == ConnectionProviders.GoogleAds ? id.Length == 10 : id.Length is > 0 and <= 20;
        return fits && id.All(char.IsAsciiDigit) ? null : Problems.InvalidParameter("account", $"account is {shape}.");
    }

    /// <summary>A shop syncs one account of each provider: a second is a 409 naming the first.</summary>
    internal static async Task<IResult?> OneOfShop(ConnectionRegistry registry, string shop, string provider, CancellationToken cancellationToken)
    {
        if (provider == ConnectionProviders.Shopify
            || (await registry.LiveOfShop(shop, cancellationToken)).FirstOrDefault(c => c.Snapshot.Provider == provider) is not { } ofShop) return null;
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already connected",
            detail: $"{shop} has a {ProviderName(provider)} account connected already ({ofShop.Snapshot.Account}, "
                + $"connection {ofShop.Snapshot.ConnectionId}): a shop syncs one; delete it first.",
            extensions: new Dictionary<string, object?> { ["parameter"] = "account", ["connection_id"] = ofShop.Snapshot.ConnectionId });
    }

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Connection not found", detail: $"No connection {id} that this caller may see.");

    /// <summary>A token as providers issue them: printable ASCII, no spaces, not too long (it goes into a header as it is).</summary>
    internal static bool IsToken([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength && token.All(c => c is > ' ' and <= '~');

    private static IResult? AvoidHoursProblem(IReadOnlyList<int> avoid)
    {
        if (avoid.Any(hour => hour is < 0 or > 23))
            return Problems.InvalidParameter("avoid_hours", "avoid_hours holds hours of the shop's day, from 0 to 23.");
        if (avoid.Count == 24)
            return Problems.InvalidParameter("avoid_hours", "avoid_hours cannot hold every hour of the day: a sync must have an hour to run in.");
        return null;
    }

    private static IResult? SettingsProblem(string? cron, IReadOnlyList<string>? entities, DateOnly? historyStart, int? lookbackMinutes,
        IReadOnlyList<int>? avoidHours = null)
    {
        if (historyStart is { } start && (start < new DateOnly(2000, 1, 1) || start > DateOnly.FromDateTime(DateTime.UtcNow)))
            return Problems.InvalidParameter("history_start", "history_start must be a day from 2000-01-01 to today: the first day whose orders are read.");
        CronExpression? schedule = null;
        if (cron is not null && !CronExpression.TryParse(cron, out schedule, out var error)) return Problems.InvalidParameter("cron", error!);
        if (schedule is not null && avoidHours is { Count: > 0 } && schedule.Hours.Intersect(avoidHours).Order().ToList() is { Count: > 0 } clash)
            return Problems.InvalidParameter("cron",
                $"The schedule '{cron}' fires at {string.Join(", ", clash.Select(h => $"{h:00}:xx"))}, "
                + "hours this shop's syncs avoid (avoid_hours): choose another schedule or other hours.");
        if (entities is not null && entities.Except(Entities.All).ToList() is { Count: > 0 } unknown)
            return Problems.InvalidParameter("entities", $"Unknown entities: {string.Join(", ", unknown)}; known: {string.Join(", ", Entities.All)}.");
        if (lookbackMinutes is < 0 or > MaxLookbackMinutes)
            return Problems.InvalidParameter("lookback_minutes", $"lookback_minutes must be between 0 and {MaxLookbackMinutes}.");
        return null;
    }

    /// <summary>
    /// A shop's daily sync when none is given: a minute within <see cref="ConnectionOptions.DefaultSyncHours"/> hours from
    /// <see cref="ConnectionOptions.DefaultSyncFromHour"/> on the shop's clocks, the same for the shop every time and spread
    /// across shops, so a fleet's syncs do not all start at once.
    /// </summary>
    public static string DefaultCron(string shop, ConnectionOptions options, IReadOnlyCollection<int>? avoidHours = null)
    {
        avoidHours ??= [];
        // The window's hours the shop does not avoid; when it avoids them all, the first hours after the window it does not.
        var hours = Enumerable.Range(0, options.DefaultSyncHours)
            .Select(i => (options.DefaultSyncFromHour + i) % 24)
            .Where(h => !avoidHours.Contains(h))
            .ToList();
        if (hours.Count == 0)
            hours =
            [
                .. Enumerable.Range(options.DefaultSyncHours, 24)
                    .Select(i => (options.DefaultSyncFromHour + i) % 24)
                    .Where(h => !avoidHours.Contains(h))
                    .Take(1),
            ];
        var spread = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(shop))) % (uint)(hours.Count * 60);
        return $"{spread % 60} {hours[(int)(spread / 60)]} * * *";
    }

    internal static string ProviderName(string provider) => provider switch
    {
        ConnectionProviders.Shopify => "Shopify",
        ConnectionProviders.Meta => "Meta",
        ConnectionProviders.GoogleAds => "Google Ads",
        ConnectionProviders.Ga4 => "GA4",
        ConnectionProviders.Klaviyo => "Klaviyo",
        _ => provider,
    };
}
