using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// Shops connected at run time through the gateway's connections API: checked at once against the Sandbox's Shopify,
/// their token sealed and never shown again, synced and reported in their own time zone without a restart, and each
/// refusal a problem that stores nothing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConnectionTests(RunningSystem system)
{
    private const string Token = RunningSystem.ConnectedShopToken;

    private static async Task<JsonElement> Body(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_shop_connected_through_the_api_is_checked_at_once_synced_without_a_restart_and_reported_in_its_own_zone()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.ConnectedShop;
        await using var tap = await BusTap.Start(system, "GrowthOs.Contracts.Connections:ConnectionConnected",
            "GrowthOs.Contracts.Connections:ConnectionSettingsChanged");
        var created = await http.PostAsJsonAsync("/api/connections", new { shop, provider = "shopify", access_token = Token, entities = new[] { "orders" } });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.DoesNotContain(Token, text);
        var connection = JsonDocument.Parse(text).RootElement;
        var id = connection.GetProperty("id").GetGuid();
        Assert.Equal($"/api/connections/{id}", created.Headers.Location?.ToString());
        Assert.Equal(("active", "Connected Shop", "EUR", RunningSystem.ConnectedTimeZone, "Advanced"),
            (connection.GetProperty("status").GetString(), connection.GetProperty("name").GetString(), connection.GetProperty("currency").GetString(),
                connection.GetProperty("time_zone").GetString(), connection.GetProperty("plan").GetString()));
        Assert.True(connection.GetProperty("has_credentials").GetBoolean());
        Assert.Equal(RunningSystem.ConnectedTimeZone, connection.GetProperty("settings").GetProperty("cron_time_zone").GetString());
        Assert.Matches(@"^\d{1,2} \d{1,2} \* \* \*$", connection.GetProperty("settings").GetProperty("cron").GetString());

        // Listed by shop, and read by id: never with its token.
        var listed = await http.GetStringAsync($"/api/connections?shop={shop}");
        Assert.Contains(id.ToString(), listed);
        Assert.DoesNotContain(Token, listed);
        Assert.DoesNotContain("access_token", listed);
        Assert.DoesNotContain(Token, await http.GetStringAsync($"/api/connections/{id}"));

        // The Ingest-Saga hears of it within seconds and syncs it: nothing was restarted, no setting names the shop.
        var runId = await StartSyncWhenKnown(http, shop);
        var run = await system.WaitForRunToFinish(http, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}'") > 0);

        // Every service reports it in its own zone, from its own copy.
        await system.WaitForScalar(
            $"SELECT count(*) FROM transform.connection_copy WHERE shop_domain = '{shop}' AND time_zone = '{RunningSystem.ConnectedTimeZone}'", 1,
            "the Transform's copy");
        await system.WaitForScalar(
            $"SELECT count(*) FROM kpi.connection_copy WHERE shop_domain = '{shop}' AND time_zone = '{RunningSystem.ConnectedTimeZone}'", 1,
            "the KPI/Alert's copy");
        var shops = await http.GetFromJsonAsync<JsonElement>("/api/dashboard/shops");
        Assert.Contains(shops.GetProperty("shops").EnumerateArray(), s => s.GetProperty("shop").GetString() == shop
            && s.GetProperty("time_zone").GetString() == RunningSystem.ConnectedTimeZone);

        // Published for every service: the connection as it is, never its token.
        var events = await tap.WaitFor(messages => messages.Any(m => m.Message.GetProperty("connection").GetProperty("shopDomain").GetString() == shop),
            TimeSpan.FromSeconds(10));
        var connected = events.First(m => m.Message.GetProperty("connection").GetProperty("shopDomain").GetString() == shop);
        Assert.EndsWith(":ConnectionConnected", connected.MessageType);
        Assert.Equal(RunningSystem.ConnectedTimeZone, connected.Message.GetProperty("connection").GetProperty("timeZone").GetString());
        Assert.DoesNotContain(events, m => m.Message.GetRawText().Contains(Token, StringComparison.Ordinal));

        // At rest, only sealed: no column of any copy or of the registry holds the token in the clear.
        Assert.Equal(0L, await system.Scalar($"""
            SELECT count(*) FROM connector.connection c WHERE c.shop_domain = '{shop}'
              AND (c::text LIKE '%{Token}%' OR position(convert_to('{Token}', 'UTF8') IN c.credential) > 0)
            """));
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM connector.connection_event e WHERE e.body::text LIKE '%{Token}%'"));
        Assert.Equal(1L,
            await system.Scalar($"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}' AND credential_key_id = 'integration-1'"));
    }

    [Fact]
    public async Task Refused_and_malformed_connections_are_problems_naming_what_was_wrong_and_store_nothing()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.ConnectRefusalsShop;
        async Task Refused(object body, HttpStatusCode status, string parameter, string? said = null)
        {
            var response = await http.PostAsJsonAsync("/api/connections", body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(parameter, (await Body(response)).GetProperty("parameter").GetString());
            if (said is not null) Assert.Contains(said, text);
            Assert.DoesNotContain(Token, text);
        }

        // Shopify refuses the token, in its own words; a shop Shopify does not know is refused too.
        await Refused(new { shop, access_token = "shpat_not_this_shops_token" }, HttpStatusCode.UnprocessableEntity, "access_token",
            "[API] Invalid API key or access token (unrecognized login or wrong password)");
        await Refused(new { shop = "no-such-shop.myshopify.com", access_token = Token }, HttpStatusCode.UnprocessableEntity, "access_token", "HTTP 404");
        await Refused(new { shop = "not a shop", access_token = Token }, HttpStatusCode.BadRequest, "shop");
        await Refused(new { shop, access_token = "" }, HttpStatusCode.BadRequest, "access_token");
        await Refused(new { shop, access_token = Token, cron = "0 25 * * *" }, HttpStatusCode.BadRequest, "cron");
        await Refused(new { shop, access_token = Token, entities = new[] { "invoices" } }, HttpStatusCode.BadRequest, "entities");
        await Refused(new { shop, access_token = Token, provider = "tiktok" }, HttpStatusCode.BadRequest, "provider");
        await Refused(new { shop, access_token = Token, avoid_hours = new[] { 24 } }, HttpStatusCode.BadRequest, "avoid_hours");
        await Refused(new { shop, access_token = Token, avoid_hours = Enumerable.Range(0, 24) }, HttpStatusCode.BadRequest, "avoid_hours");
        await Refused(new { shop, access_token = Token, cron = "0 9,18 * * *", avoid_hours = new[] { 18 } }, HttpStatusCode.BadRequest, "cron", "18:xx");
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM connector.connection WHERE shop_domain IN ('{shop}', 'no-such-shop.myshopify.com')"));

        // Connected once; the same shop again is a conflict naming the connection that holds it.
        var first = await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token, cron = "0 3 * * *" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var id = (await Body(first)).GetProperty("id").GetGuid();
        var again = await http.PostAsJsonAsync("/api/connections", new { shop = shop.ToUpperInvariant(), access_token = Token });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(id, (await Body(again)).GetProperty("connection_id").GetGuid());
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}'"));

        // A settings change that is wrong changes nothing; one that is right is a new version.
        var badChange = await http.PatchAsJsonAsync($"/api/connections/{id}", new { lookback_minutes = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, badChange.StatusCode);
        var changed = await Body(await http.PatchAsJsonAsync($"/api/connections/{id}", new { cron = "30 4 * * 1-5", lookback_minutes = 120 }));
        Assert.Equal(("30 4 * * 1-5", 120, 2L), (changed.GetProperty("settings").GetProperty("cron").GetString(),
            changed.GetProperty("settings").GetProperty("lookback_minutes").GetInt32(), changed.GetProperty("version").GetInt64()));
        // Hours to avoid that the schedule fires in are refused; hours it keeps out of are kept.
        var clash = await http.PatchAsJsonAsync($"/api/connections/{id}", new { avoid_hours = new[] { 4, 5 } });
        Assert.Equal(HttpStatusCode.BadRequest, clash.StatusCode);
        Assert.Equal("cron", (await Body(clash)).GetProperty("parameter").GetString());
        var avoided = await Body(await http.PatchAsJsonAsync($"/api/connections/{id}", new { avoid_hours = new[] { 12, 11, 12 } }));
        Assert.Equal([11, 12], avoided.GetProperty("settings").GetProperty("avoid_hours").EnumerateArray().Select(h => h.GetInt32()));
        var wrongToken = await http.PatchAsJsonAsync($"/api/connections/{id}", new { access_token = "shpat_wrong_again" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/connections/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task A_shop_whose_shopify_is_down_at_its_check_waits_pending_and_is_checked_again_until_it_answers()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.PendingShop;
        var accepted = await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var pending = await Body(accepted);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Contains("HTTP 503", pending.GetProperty("status_reason").GetString());
        Assert.True(pending.GetProperty("has_credentials").GetBoolean());

        // Checked again in the background (Connections:RecheckSeconds) until Shopify answers.
        var id = pending.GetProperty("id").GetGuid();
        var connection = await WhenNot(http, id, "pending");
        Assert.Equal(("active", "Connect Pending"), (connection.GetProperty("status").GetString(), connection.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("status_reason").ValueKind);
    }

    [Fact]
    public async Task A_rotated_key_seals_every_credential_again_and_the_old_key_can_then_go_with_nothing_lost()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.RotationShop;
        var id = (await Body(await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token }))).GetProperty("id").GetGuid();
        Assert.Equal(1L,
            await system.Scalar($"SELECT count(*) FROM connector.connection WHERE connection_id = '{id}' AND credential_key_id = 'integration-1'"));
        static Dictionary<string, string> Keys(params (string Id, string Key)[] keys) => keys.Select((k, i) => new[]
        {
            KeyValuePair.Create($"Connections__EncryptionKeys__{i}__Id", k.Id), KeyValuePair.Create($"Connections__EncryptionKeys__{i}__Key", k.Key),
        }).SelectMany(p => p).ToDictionary();
        var (first, second) = (("integration-1", RunningSystem.ConnectionsKey), ("integration-2", RunningSystem.RotatedConnectionsKey));
        async Task Checked()
        {
            var check = await http.PostAsync($"/api/connections/{id}/check", null);
            Assert.True(check.StatusCode == HttpStatusCode.OK, await check.Content.ReadAsStringAsync());
            Assert.Equal("active", (await Body(check)).GetProperty("status").GetString());
        }

        // The new key first, the old after it: every credential is sealed again under the new one, in the background.
        await system.KillAndRestart("Connector", Keys(second, first));
        await system.WaitForScalar($"SELECT count(*) FROM connector.connection WHERE credential IS NOT NULL AND credential_key_id <> 'integration-2'", 0,
            "every credential sealed again under the new key", 30);
        await Checked();
        // The old key gone: nothing was lost.
        await system.KillAndRestart("Connector", Keys(second));
        await Checked();

        // And back, for the tests after this one, which start the Connector with the first key only.
        await system.KillAndRestart("Connector", Keys(first, second));
        await system.WaitForScalar($"SELECT count(*) FROM connector.connection WHERE credential IS NOT NULL AND credential_key_id <> 'integration-1'", 0,
            "every credential sealed again under the first key", 30);
        await system.KillAndRestart("Connector");
        await Checked();
    }

    [Fact]
    public async Task A_key_limited_to_a_shop_manages_only_that_shops_connections()
    {
        using var admin = system.GatewayClient();
        var other = await Body(await admin.PostAsJsonAsync("/api/connections", new { shop = RunningSystem.ConnectLimitedShop, access_token = Token }));
        var otherId = other.GetProperty("id").GetGuid();

        // An operator of the KPI shop only: it may not connect, list, read, pause or change another shop's connection.
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.PostAsJsonAsync("/api/connections",
            new { shop = RunningSystem.ConnectLimitedShop, access_token = Token })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/connections?shop={RunningSystem.ConnectLimitedShop}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync("/api/connections")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/api/connections/{otherId}?shop={RunningSystem.KpiShop}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.PostAsync($"/api/connections/{otherId}/pause?shop={RunningSystem.KpiShop}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await limited.PatchAsJsonAsync($"/api/connections/{otherId}?shop={RunningSystem.KpiShop}", new { cron = "0 1 * * *" })).StatusCode);
        var listed = await Body(await limited.GetAsync($"/api/connections?shop={RunningSystem.KpiShop}"));
        Assert.DoesNotContain(listed.GetProperty("connections").EnumerateArray(), c => c.GetProperty("shop").GetString() != RunningSystem.KpiShop);

        // A viewer reads but does not connect; only an admin deletes.
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/connections/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/connections/{otherId}/pause", null)).StatusCode);
        using var otherOperator = system.GatewayClient(RunningSystem.DashboardOperatorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherOperator.DeleteAsync($"/api/connections/{otherId}?shop={RunningSystem.DashboardShop}")).StatusCode);
        Assert.Equal("active", (await Body(await admin.GetAsync($"/api/connections/{otherId}"))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_paused_shop_is_not_synced_until_resumed_and_a_deleted_one_loses_its_credentials_and_its_runs()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.ConnectLifecycleShop;
        var id = (await Body(await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token, entities = new[] { "orders" } })))
            .GetProperty("id").GetGuid();
        await system.WaitForRunToFinish(http, await StartSyncWhenKnown(http, shop));

        var paused = await Body(await http.PostAsync($"/api/connections/{id}/pause", null));
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var refused = await Until(http, shop, HttpStatusCode.Conflict);
        Assert.Contains("resume", await refused.Content.ReadAsStringAsync());

        Assert.Equal("active", (await Body(await http.PostAsync($"/api/connections/{id}/resume", null))).GetProperty("status").GetString());
        await Until(http, shop, HttpStatusCode.Accepted);

        var deleted = await http.DeleteAsync($"/api/connections/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var gone = await Body(deleted);
        Assert.Equal(("disconnected", false), (gone.GetProperty("status").GetString(), gone.GetProperty("has_credentials").GetBoolean()));
        Assert.Equal(1L, await system.Scalar(
            $"SELECT count(*) FROM connector.connection WHERE connection_id = '{id}' AND credential IS NULL AND credential_key_id IS NULL"));
        var unknown = await Until(http, shop, HttpStatusCode.BadRequest);
        Assert.Contains("not connected", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"/api/connections/{id}")).StatusCode);
        // Gone from the list unless disconnected ones are asked for.
        Assert.DoesNotContain(id.ToString(), await http.GetStringAsync($"/api/connections?shop={shop}"));
        Assert.Contains(id.ToString(), await http.GetStringAsync($"/api/connections?shop={shop}&include=disconnected"));
    }

    [Fact]
    public async Task A_shop_installs_the_app_through_shopifys_authorization_code_grant_and_a_forged_replayed_or_stale_callback_is_refused()
    {
        const string shop = RunningSystem.InstalledShop;
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = system.Gateway };
        using var install = new HttpRequestMessage(HttpMethod.Get, $"/api/connections/shopify/install?shop={shop}");
        install.Headers.Add("X-Api-Key", RunningSystem.ApiKey);
        var toShopify = await browser.SendAsync(install);
        Assert.Equal(HttpStatusCode.Redirect, toShopify.StatusCode);
        var authorize = toShopify.Headers.Location!;
        Assert.Equal($"/{shop}/admin/oauth/authorize", authorize.AbsolutePath);
        var asked = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(RunningSystem.ShopifyClientId, asked["client_id"].ToString());
        Assert.Equal("read_orders,read_all_orders,read_products,read_inventory,read_customers", asked["scope"].ToString());
        Assert.Equal(new Uri(system.Gateway, "/api/connections/shopify/callback").ToString(), asked["redirect_uri"].ToString());
        Assert.Matches("^[0-9a-f]{48}$", asked["state"].ToString());

        // The merchant approves on Shopify's page, which sends the browser back to the gateway, signed.
        var approved = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var callback = approved.Headers.Location!;
        var done = await browser.GetAsync(callback);
        Assert.True(done.StatusCode == HttpStatusCode.Redirect, $"{(int)done.StatusCode}: {await done.Content.ReadAsStringAsync()}");
        var landing = done.Headers.Location!.ToString();
        Assert.StartsWith("/?connection_id=", landing);
        Assert.EndsWith("&status=active", landing);
        var id = Guid.Parse(landing.Split("connection_id=")[1].Split('&')[0]);

        using var http = system.GatewayClient();
        var connection = await Body(await http.GetAsync($"/api/connections/{id}"));
        Assert.Equal(("active", "Installed Shop", "CAD", "America/Los_Angeles", "Plus", "tests"),
            (connection.GetProperty("status").GetString(), connection.GetProperty("name").GetString(), connection.GetProperty("currency").GetString(),
                connection.GetProperty("time_zone").GetString(), connection.GetProperty("plan").GetString(), connection.GetProperty("created_by").GetString()));

        async Task Refused(Uri url, HttpStatusCode status, string parameter, string? said = null)
        {
            var response = await browser.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Equal(parameter, JsonDocument.Parse(text).RootElement.GetProperty("parameter").GetString());
            if (said is not null) Assert.Contains(said, text);
        }
        var signed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(callback.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        // The same redirect again: its state is used.
        await Refused(callback, HttpStatusCode.BadRequest, "state");
        // Forged: a parameter changed under the same hmac.
        await Refused(Callback(signed, ("code", "forged-code")), HttpStatusCode.Unauthorized, "hmac");
        // Signed with the app's secret, but a state this deployment never made, or a redirect minutes old.
        await Refused(Callback(Signed(signed, ("state", "not-a-state-of-ours"))), HttpStatusCode.BadRequest, "state");
        await Refused(Callback(Signed(signed, ("timestamp", DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds().ToString()))), HttpStatusCode.BadRequest,
            "timestamp");
        // A fresh install whose callback carries the code already exchanged: Shopify's own refusal.
        var fresh = await Body(await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/connections/shopify/install?shop={shop}")
        {
            Headers = { { "Accept", "application/json" } },
        }));
        var freshState = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(fresh.GetProperty("authorize_url").GetString()!).Query)["state"]
            .ToString();
        await Refused(Callback(Signed(signed, ("state", freshState), ("timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()))),
            HttpStatusCode.UnprocessableEntity, "code", "The authorization code was not found or was already used");
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}'"));

        // A viewer does not install.
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/connections/shopify/install?shop={shop}")).StatusCode);
    }

    [Fact]
    public async Task A_shop_that_uninstalls_the_app_is_disconnected_by_shopifys_webhook_its_token_destroyed_and_everything_removed_at_its_shop_redact()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.UninstallShop;
        var created = await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Body(created)).GetProperty("id").GetGuid();

        // The merchant uninstalls the app in Shopify's admin: Shopify revokes the token and sends app/uninstalled, signed,
        // to the address the Connector subscribed when the shop was connected.
        using var sandbox = new HttpClient { BaseAddress = system.ServiceAddress("Sandbox") };
        // Shopify sends shop/redact only after an uninstall.
        Assert.Equal(HttpStatusCode.Conflict, (await sandbox.PostAsync($"/sandbox/shops/{shop}/redact", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"/sandbox/shops/{shop}/uninstall", null)).StatusCode);

        var connection = await WhenNot(http, id, "active");
        Assert.Equal("disconnected", connection.GetProperty("status").GetString());
        Assert.Contains("uninstalled the app", connection.GetProperty("status_reason").GetString());
        Assert.False(connection.GetProperty("has_credentials").GetBoolean());
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM ingest.webhook_delivery WHERE shop_domain = '{shop}' AND topic = 'app/uninstalled'"));
        var refused = await Until(http, shop, HttpStatusCode.BadRequest);
        Assert.Contains("not connected", await refused.Content.ReadAsStringAsync());

        // 48 hours later Shopify sends shop/redact, signed, to the app's compliance URL: everything held of the shop goes, in
        // every service, and the purge's record names no shop.
        Assert.NotEmpty(await system.RowsHolding(shop));
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"/sandbox/shops/{shop}/redact", null)).StatusCode);
        await system.WaitForScalar("""
            SELECT count(*) FROM connector.purge p JOIN connector.purge_answer a USING (purge_id)
            WHERE p.reason LIKE 'Shopify''s shop/redact%' AND p.requested_by = 'shopify:shop/redact'
            """, 5, "every service's answer to the shop/redact purge");
        await system.WaitForScalar($"SELECT count(*) FROM connector.purge WHERE sweep_shop = '{shop}'", 0, "the purge's second sweep, which forgets the shop");
        Assert.Empty(await Eventually(() => system.RowsHolding(shop)));
    }

    [Fact]
    public async Task A_meta_ad_account_connected_through_the_api_is_checked_at_once_synced_with_its_own_token_and_fails_when_meta_revokes_it()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.ConnectMetaShop;
        const string account = RunningSystem.ConnectedMetaAccount;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token })).StatusCode);

        // Meta refuses a token that is not the account's, in its own words; an account id that is not one is refused before Meta is asked.
        var refused = await http.PostAsJsonAsync("/api/connections",
            new { shop, provider = "meta", account = $"act_{account}", access_token = "EAAGnotThisAccountsToken" });
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, refusal);
        Assert.Contains("Invalid OAuth access token", refusal);
        var malformed = await http.PostAsJsonAsync("/api/connections",
            new { shop, provider = "meta", account = "act_12ab", access_token = RunningSystem.ConnectedMetaToken });
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("account", (await Body(malformed)).GetProperty("parameter").GetString());

        // A person's short-lived token is exchanged for the long-lived one, as the Meta app; one Meta does not know is refused in its words.
        var notExchanged = await http.PostAsJsonAsync("/api/connections",
            new { shop, provider = "meta", account, access_token = "EAAGexpiredShortToken", exchange = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notExchanged.StatusCode);
        Assert.Contains("Invalid OAuth access token", await notExchanged.Content.ReadAsStringAsync());
        var created = await http.PostAsJsonAsync("/api/connections",
            new { shop, provider = "meta", account = $"act_{account}", access_token = RunningSystem.ShortLivedMetaToken, exchange = true });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.DoesNotContain(RunningSystem.ConnectedMetaToken, text);
        Assert.DoesNotContain(RunningSystem.ShortLivedMetaToken, text);
        var connection = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("meta", account, "active", "EUR", "Europe/Lisbon", "ACTIVE"),
            (connection.GetProperty("provider").GetString(), connection.GetProperty("account").GetString(), connection.GetProperty("status").GetString(),
                connection.GetProperty("currency").GetString(), connection.GetProperty("time_zone").GetString(),
                connection.GetProperty("account_status").GetString()));
        // Meta's long-lived token lapses in about 60 days (Meta renews none from a server): the connection says when.
        Assert.InRange(connection.GetProperty("credential_expires_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(59),
            DateTimeOffset.UtcNow.AddDays(61));
        var again = await http.PostAsJsonAsync("/api/connections", new { shop, provider = "meta", account, access_token = RunningSystem.ConnectedMetaToken });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        // A key limited to another shop that names the same account learns it is taken, not whose it is.
        using var otherShops = system.GatewayClient(RunningSystem.DashboardOperatorKey);
        var taken = await otherShops.PostAsJsonAsync("/api/connections",
            new { shop = RunningSystem.DashboardShop, provider = "meta", account, access_token = RunningSystem.ConnectedMetaToken });
        var takenText = await taken.Content.ReadAsStringAsync();
        Assert.True(taken.StatusCode == HttpStatusCode.Conflict, takenText);
        Assert.DoesNotContain(shop, takenText);
        Assert.DoesNotContain(connection.GetProperty("id").GetGuid().ToString(), takenText);

        // The Ingest-Saga hears of the account and syncs it: the Connector reads it with the connection's token, no setting.
        var sync = await UntilMarketing(http, shop, HttpStatusCode.Accepted);
        var run = await system.WaitForRunToFinish(http, (await Body(sync)).GetProperty("runs")[0].GetProperty("run_id").GetGuid());
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        Assert.True(await system.Scalar(
            $"SELECT count(*) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}' AND source = 'meta' AND account_id = 'act_{account}'") > 0);

        // Meta stops taking the token (the app's access removed): the next sync fails and the connection turns failing in
        // Meta's words, so its schedule stops until it is given a new token.
        using var sandbox = new HttpClient { BaseAddress = system.ServiceAddress("Sandbox") };
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"/sandbox/meta/ad_accounts/{account}/revoke", null)).StatusCode);
        var revokedRun = await system.WaitForRunToFinish(http, (await Body(await UntilMarketing(http, shop, HttpStatusCode.Accepted))).GetProperty("runs")[0]
            .GetProperty("run_id").GetGuid());
        Assert.Equal("failed", revokedRun.GetProperty("status").GetString());
        var id = connection.GetProperty("id").GetGuid();
        var failing = await WhenNot(http, id, "active");
        Assert.Equal("failing", failing.GetProperty("status").GetString());
        Assert.Contains("has not authorized application", failing.GetProperty("status_reason").GetString());
        Assert.DoesNotContain(RunningSystem.ConnectedMetaToken, failing.GetRawText());
        var notSynced = await UntilMarketing(http, shop, HttpStatusCode.BadRequest);
        Assert.Contains("does not sync meta", await notSynced.Content.ReadAsStringAsync());

        // Deleted, it is disconnected and its token destroyed.
        var deleted = await Body(await http.DeleteAsync($"/api/connections/{id}"));
        Assert.Equal(("disconnected", false), (deleted.GetProperty("status").GetString(), deleted.GetProperty("has_credentials").GetBoolean()));
    }

    [Fact]
    public async Task A_klaviyo_account_connected_with_its_private_key_is_checked_at_once_and_synced_with_it()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.ConnectMetaShop;
        const string account = RunningSystem.ConnectedKlaviyoAccount;
        var shopConnected = await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token });
        Assert.True(shopConnected.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await shopConnected.Content.ReadAsStringAsync());

        // A private key, not a token; one Klaviyo does not take is refused in its words, one of another account too.
        async Task<(HttpStatusCode Status, JsonElement Body)> Connect(object body)
        {
            var answer = await http.PostAsJsonAsync("/api/connections", body);
            return (answer.StatusCode, await Body(answer));
        }
        var noKey = await Connect(new { shop, provider = "klaviyo", account });
        Assert.Equal((HttpStatusCode.BadRequest, "private_key"), (noKey.Status, noKey.Body.GetProperty("parameter").GetString()));
        var token = await Connect(new { shop, provider = "klaviyo", account, access_token = RunningSystem.ConnectedKlaviyoKey });
        Assert.Equal((HttpStatusCode.BadRequest, "access_token"), (token.Status, token.Body.GetProperty("parameter").GetString()));
        var wrong = await Connect(new { shop, provider = "klaviyo", account, private_key = "pk_notThisAccountsKey" });
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "private_key"), (wrong.Status, wrong.Body.GetProperty("parameter").GetString()));
        Assert.Contains("Incorrect authentication credentials", wrong.Body.GetProperty("detail").GetString());
        var another = await Connect(new { shop, provider = "klaviyo", account = "ZZZ999", private_key = RunningSystem.ConnectedKlaviyoKey });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, another.Status);
        Assert.Contains($"Klaviyo account {account}'s", another.Body.GetProperty("detail").GetString());

        var created = await http.PostAsJsonAsync("/api/connections",
            new { shop, provider = "klaviyo", account, private_key = RunningSystem.ConnectedKlaviyoKey });
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        Assert.DoesNotContain(RunningSystem.ConnectedKlaviyoKey, text);
        var connection = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("klaviyo", account, "active", "Europe/Lisbon"),
            (connection.GetProperty("provider").GetString(), connection.GetProperty("account").GetString(), connection.GetProperty("status").GetString(),
                connection.GetProperty("time_zone").GetString()));

        // The Ingest-Saga hears of the account and syncs it: the Connector reads it with the connection's key, no setting.
        var sync = await Until(http, "/api/marketing/sync", new { shop, sources = new[] { "klaviyo" } }, HttpStatusCode.Accepted, $"A Klaviyo sync of {shop}");
        var run = await system.WaitForRunToFinish(http, (await Body(sync)).GetProperty("runs")[0].GetProperty("run_id").GetGuid());
        Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        Assert.True(await system.Scalar(
            $"SELECT count(*) FROM transform.email_message_day WHERE shop_domain = '{shop}' AND account_id = '{account}'") > 0);
        foreach (var service in new[] { "Connector", "IngestSaga", "Transform", "ApiGateway" })
            Assert.DoesNotContain(RunningSystem.ConnectedKlaviyoKey, system.Logs(service));

        // Deleted, it is disconnected and its key destroyed.
        var deleted = await Body(await http.DeleteAsync($"/api/connections/{connection.GetProperty("id").GetGuid()}"));
        Assert.Equal(("disconnected", false), (deleted.GetProperty("status").GetString(), deleted.GetProperty("has_credentials").GetBoolean()));
    }

    [Fact]
    public async Task A_google_ads_customer_and_a_ga4_property_connect_through_googles_consent_are_synced_with_the_grant_and_fail_when_it_is_revoked()
    {
        const string shop = RunningSystem.ConnectGoogleShop;
        using var http = system.GatewayClient();
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = system.Gateway };
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token })).StatusCode);

        // The consent page is Google's, asked for offline access and the one scope the provider needs; the person approves there.
        async Task<Uri> Authorize(string provider, string account, string? manager = null)
        {
            var answer = await Body(await http.SendAsync(new HttpRequestMessage(HttpMethod.Get,
                $"/api/connections/google/authorize?shop={shop}&provider={provider}&account={account}"
                + $"{(manager is null ? "" : $"&login_customer_id={manager}")}")
            {
                Headers = { { "Accept", "application/json" } },
            }));
            return new Uri(answer.GetProperty("authorize_url").GetString()!);
        }
        async Task<Uri> Consent(Uri authorize)
        {
            var approved = await browser.GetAsync(authorize);
            Assert.True(approved.StatusCode == HttpStatusCode.Redirect, $"{(int)approved.StatusCode}: {await approved.Content.ReadAsStringAsync()}");
            return approved.Headers.Location!;
        }
        async Task<JsonElement> Connected(Uri callback)
        {
            var done = await browser.GetAsync(callback);
            Assert.True(done.StatusCode == HttpStatusCode.Redirect, $"{(int)done.StatusCode}: {await done.Content.ReadAsStringAsync()}");
            var landing = done.Headers.Location!.ToString();
            Assert.EndsWith("&status=active", landing);
            return await Body(await http.GetAsync($"/api/connections/{landing.Split("connection_id=")[1].Split('&')[0]}"));
        }
        async Task Refused(Uri url, HttpStatusCode status, string parameter, string said)
        {
            var response = await browser.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Equal(parameter, JsonDocument.Parse(text).RootElement.GetProperty("parameter").GetString());
            Assert.Contains(said, text);
        }
        static Dictionary<string, string> Query(Uri url) =>
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        Uri Callback(Dictionary<string, string> parameters) =>
            new(system.Gateway, "/api/connections/google/callback?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));

        var authorize = await Authorize("google_ads", "740-000-0001", RunningSystem.ConnectedGoogleAdsManager);
        Assert.Equal("/google-oauth/o/oauth2/v2/auth", authorize.AbsolutePath);
        var asked = Query(authorize);
        Assert.Equal(("https://www.googleapis.com/auth/adwords", "offline", "consent", "code"),
            (asked["scope"], asked["access_type"], asked["prompt"], asked["response_type"]));
        Assert.Equal(new Uri(system.Gateway, "/api/connections/google/callback").ToString(), asked["redirect_uri"]);
        var callback = await Consent(authorize);
        var ads = await Connected(callback);
        Assert.Equal(("google_ads", RunningSystem.ConnectedGoogleAdsCustomer, RunningSystem.ConnectedGoogleAdsManager, "USD", "America/Chicago", "ENABLED"),
            (ads.GetProperty("provider").GetString(), ads.GetProperty("account").GetString(), ads.GetProperty("login_customer_id").GetString(),
                ads.GetProperty("currency").GetString(), ads.GetProperty("time_zone").GetString(), ads.GetProperty("account_status").GetString()));
        Assert.True(ads.GetProperty("has_credentials").GetBoolean());
        // Its schedule, which nobody chose, moves out of the hours its syncs are asked to avoid by itself.
        var moved = await Body(await http.PatchAsJsonAsync($"/api/connections/{ads.GetProperty("id").GetGuid()}", new { avoid_hours = new[] { 5, 6, 7 } }));
        Assert.Equal("8", moved.GetProperty("settings").GetProperty("cron").GetString()!.Split(' ')[1]);

        // The same redirect again finds its state used; a state never made, a consent refused, a code already exchanged: each refused, nothing stored.
        await Refused(callback, HttpStatusCode.BadRequest, "state", "used");
        await Refused(Callback(new Dictionary<string, string>(Query(callback)) { ["state"] = "not-a-state-of-ours" }), HttpStatusCode.BadRequest, "state",
            "not one");
        var ga4Authorize = await Authorize("ga4", "properties/" + RunningSystem.ConnectedGa4Property);
        await Refused(Callback(new() { ["state"] = Query(ga4Authorize)["state"], ["error"] = "access_denied" }), HttpStatusCode.UnprocessableEntity, "error",
            "did not grant access");
        ga4Authorize = await Authorize("ga4", RunningSystem.ConnectedGa4Property);
        await Refused(Callback(new(Query(callback)) { ["state"] = Query(ga4Authorize)["state"] }), HttpStatusCode.UnprocessableEntity, "code", "invalid_grant");
        var ga4 = await Connected(await Consent(await Authorize("ga4", RunningSystem.ConnectedGa4Property)));
        Assert.Equal(("ga4", RunningSystem.ConnectedGa4Property, "USD", "America/Chicago"),
            (ga4.GetProperty("provider").GetString(), ga4.GetProperty("account").GetString(), ga4.GetProperty("currency").GetString(),
                ga4.GetProperty("time_zone").GetString()));
        // A shop syncs one account of each provider; a customer id that is not one is refused before Google is asked.
        Assert.Equal(HttpStatusCode.Conflict,
            (await http.GetAsync($"/api/connections/google/authorize?shop={shop}&provider=ga4&account=7500000002")).StatusCode);
        var malformed = await http.GetAsync($"/api/connections/google/authorize?shop={shop}&provider=google_ads&account=12345");
        Assert.Equal((HttpStatusCode.BadRequest, "account"), (malformed.StatusCode, (await Body(malformed)).GetProperty("parameter").GetString()));
        // A refresh token given straight is checked with Google too: one Google does not know is refused in its words.
        var unknown = await http.PostAsJsonAsync("/api/connections",
            new
            {
                shop = RunningSystem.ConnectedShop, provider = "ga4", account = RunningSystem.ConnectedGa4Property, refresh_token = "1//notAGrantOfThisClient",
            });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("Token has been expired or revoked", await unknown.Content.ReadAsStringAsync());

        // The Ingest-Saga hears of both accounts and syncs them with the grant: no setting names them.
        var sync = await Until(http, "/api/marketing/sync", new { shop, sources = new[] { "google_ads", "ga4" } }, HttpStatusCode.Accepted,
            $"A Google sync of {shop}");
        foreach (var started in (await Body(sync)).GetProperty("runs").EnumerateArray())
        {
            var run = await system.WaitForRunToFinish(http, started.GetProperty("run_id").GetGuid());
            Assert.True(run.GetProperty("status").GetString() == "completed", run.ToString());
        }
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}' AND source = 'google_ads'") > 0);
        Assert.True(await system.Scalar($"SELECT count(*) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}'") > 0);

        // The person removes the app's access in their Google account: the next sync fails, and each connection turns failing in Google's words.
        using var sandbox = new HttpClient { BaseAddress = system.ServiceAddress("Sandbox") };
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync("/sandbox/google-oauth/remove-access", null)).StatusCode);
        // The runs just completed may still hold the shop's sources for a moment: the sync is asked for until it is accepted.
        var revoked = await Body(await Until(http, "/api/marketing/sync", new { shop, sources = new[] { "google_ads", "ga4" } }, HttpStatusCode.Accepted,
            $"A Google sync of {shop} after the access was removed"));
        foreach (var started in revoked.GetProperty("runs").EnumerateArray())
            Assert.Equal("failed", (await system.WaitForRunToFinish(http, started.GetProperty("run_id").GetGuid())).GetProperty("status").GetString());
        foreach (var connection in new[] { ads, ga4 })
        {
            var failing = await WhenNot(http, connection.GetProperty("id").GetGuid(), "active");
            Assert.Equal("failing", failing.GetProperty("status").GetString());
            Assert.Contains("Token has been expired or revoked", failing.GetProperty("status_reason").GetString());
        }
    }

    /// <summary>
    /// Asks for a Meta sync of <paramref name="shop"/> until the answer is <paramref name="expected"/> (the copies hear a change within seconds).
    /// </summary>
    private static Task<HttpResponseMessage> UntilMarketing(HttpClient http, string shop, HttpStatusCode expected) =>
        Until(http, "/api/marketing/sync", new { shop, sources = new[] { "meta" } }, expected, $"A Meta sync of {shop}");

    [Fact]
    public async Task The_connect_script_connects_a_shop_and_its_accounts_through_the_flows_a_person_follows_and_again_changes_nothing()
    {
        const string shop = RunningSystem.ScriptShop;
        using var http = system.GatewayClient();
        var environment = new Dictionary<string, string>
        {
            ["GROWTHOS_GATEWAY"] = system.Gateway.ToString(),
            ["GROWTHOS_API_KEY"] = RunningSystem.ApiKey,
            ["CONNECT_SHOP"] = shop,
            ["CONNECT_META_AD_ACCOUNT"] = RunningSystem.ScriptMetaAccount,
            ["CONNECT_META_TOKEN"] = RunningSystem.ScriptMetaToken,
            ["CONNECT_GOOGLE_ADS_CUSTOMER"] = RunningSystem.ScriptGoogleAdsCustomer,
            ["CONNECT_GA4_PROPERTY"] = RunningSystem.ScriptGa4Property,
        };
        Task<(int Code, string Output)> Connect(Dictionary<string, string> variables) =>
            Processes.Run("bash", [Path.Combine(RepositoryPaths.Root, "deploy", "connect.sh")], environment: variables);

        var (code, output) = await Connect(environment);
        Assert.True(code == 0, output);
        Assert.Contains($"connected {shop} through Shopify's install flow", output);
        Assert.Contains("through Google's consent", output);
        async Task<Dictionary<string, (string Status, string Account)>> Connections() =>
            (await Body(await http.GetAsync($"/api/connections?shop={shop}"))).GetProperty("connections").EnumerateArray()
                .ToDictionary(c => c.GetProperty("provider").GetString()!, c => (c.GetProperty("status").GetString()!, c.GetProperty("account").GetString()!));
        var connected = await Connections();
        Assert.Equal(new Dictionary<string, (string, string)>
        {
            ["shopify"] = ("active", shop), ["meta"] = ("active", RunningSystem.ScriptMetaAccount),
            ["google_ads"] = ("active", RunningSystem.ScriptGoogleAdsCustomer), ["ga4"] = ("active", RunningSystem.ScriptGa4Property),
        }, connected);
        Assert.DoesNotContain(RunningSystem.ScriptMetaToken, output);

        // Again: what is connected stays as it is, and no consent is asked again.
        (code, output) = await Connect(environment);
        Assert.True(code == 0, output);
        Assert.True(Regex.Matches(output, "was connected already").Count == 4, output);
        Assert.Equal(connected, await Connections());

        // A second Meta account for the shop (a shop syncs one) is refused with the API's conflict; a malformed shop with its problem.
        (code, output) = await Connect(new(environment)
        {
            ["CONNECT_SHOP_TOKEN"] = RunningSystem.ConnectedShopToken, ["CONNECT_GA4_PROPERTY"] = "",
            ["CONNECT_GOOGLE_ADS_CUSTOMER"] = "", ["CONNECT_META_AD_ACCOUNT"] = RunningSystem.PageMetaAccount,
            ["CONNECT_META_TOKEN"] = RunningSystem.PageMetaToken
        });
        Assert.True(code != 0, output);
        Assert.Contains("409", output);
        (code, output) = await Connect(new(environment) { ["CONNECT_SHOP"] = "not_a_shop" });
        Assert.True(code != 0, output);
        Assert.Contains("\"parameter\":\"shop\"", output);
    }

    [Fact]
    public async Task A_customers_data_request_is_answered_in_the_archive_and_the_audit_log_and_a_redacted_customer_stays_forgotten_after_a_replay()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.CustomerRequestsShop;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token })).StatusCode);
        var run = await system.WaitForRunToFinish(http, await StartSyncWhenKnown(http, shop, "orders", "customers"));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        var customer = await system.Scalar($"""
            SELECT c.customer_id FROM transform.customer c WHERE c.shop_domain = '{shop}'
              AND (SELECT count(*) FROM transform.order_header o WHERE o.shop_domain = c.shop_domain AND o.customer_id = c.customer_id) >= 2
            ORDER BY c.customer_id LIMIT 1
            """);
        var orders = await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND customer_id = {customer}");
        var revenue = await system.Scalar($"SELECT sum(total_minor) FROM transform.order_header WHERE shop_domain = '{shop}'");
        using var sandbox = new HttpClient { BaseAddress = system.ServiceAddress("Sandbox") };

        // The merchant asks what is held on the customer: Shopify's customers/data_request, signed, through the gateway.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"/sandbox/shops/{shop}/customers/{customer}/data_request", null)).StatusCode);
        await system.WaitForScalar($"""
            SELECT count(*) FROM gateway.audit_entry WHERE shop_domain = '{shop}' AND method = 'WEBHOOK' AND key_id = 'shopify'
              AND path LIKE 'customers/data_request % of customer {customer}: compliance/{shop}/customers/{customer}/data-request-%.json'
            """, 1, "the audit log's entry of the answered data request");
        var key = Assert.Single(await system.ObjectKeysHolding($"compliance/{shop}/customers/{customer}/"));
        var reportText = await LocalInfrastructure.ReadObject(system.Bucket, key);
        var report = JsonDocument.Parse(reportText).RootElement;
        Assert.Equal(customer, report.GetProperty("customer")[0].GetProperty("customer_id").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", report.GetProperty("customer")[0].GetProperty("email_sha256").GetString());
        Assert.Equal(orders, report.GetProperty("orders").GetArrayLength());
        Assert.True(report.GetProperty("line_items").GetArrayLength() >= orders);
        Assert.DoesNotContain("@", reportText);
        var audit = await http.GetStringAsync($"/api/audit?shop={shop}");
        Assert.Contains(key, audit);

        // The merchant asks that the customer be forgotten: its rows go, its orders stay in the shop's sales without naming it.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"/sandbox/shops/{shop}/customers/{customer}/redact", null)).StatusCode);
        await system.WaitForScalar($"SELECT count(*) FROM transform.customer WHERE shop_domain = '{shop}' AND customer_id = {customer}", 0,
            "the customer's row");
        Assert.Empty(await system.ObjectKeysHolding($"compliance/{shop}/customers/{customer}/"));
        async Task Forgotten()
        {
            Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{shop}' AND customer_id = {customer}"));
            Assert.Equal(0L,
                await system.Scalar($"SELECT count(*) FROM transform.customer_segments WHERE shop_domain = '{shop}' AND customer_id = {customer}"));
            Assert.Equal(0L, await system.Scalar($"""
                SELECT count(*) FROM transform.dim_customer d JOIN transform.dim_shop s USING (shop_key)
                WHERE s.shop_domain = '{shop}' AND d.customer_id = {customer}
                """));
            await system.WaitForScalar($"SELECT count(*) FROM kpi.customer_day WHERE shop_domain = '{shop}' AND customer_id = {customer}", 0,
                "the KPI copy's customer days");
            Assert.Equal(revenue, await system.Scalar($"SELECT sum(total_minor) FROM transform.order_header WHERE shop_domain = '{shop}'"));
        }
        await Forgotten();

        // A replay of the archived files that hold the customer does not bring it back.
        var archivedFiles = (await system.ObjectKeysHolding($"raw/shopify/{shop}/")).Where(k => k.Contains("/orders/") || k.Contains("/customers/")).ToList();
        Assert.Equal(2, archivedFiles.Count);
        foreach (var archived in archivedFiles)
        {
            var replay = await http.PostAsJsonAsync($"/api/ingest/replay?shop={shop}", new { archiveKey = archived });
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            var replayed = await system.WaitForRunToFinish(http, (await Body(replay)).GetProperty("run_id").GetGuid());
            Assert.Equal("completed", replayed.GetProperty("status").GetString());
        }
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM transform.customer WHERE shop_domain = '{shop}' AND customer_id = {customer}"));
        await Forgotten();
    }

    [Fact]
    public async Task A_shop_deleted_with_purge_leaves_no_row_in_any_schema_and_no_object_under_its_prefixes()
    {
        using var http = system.GatewayClient();
        const string shop = RunningSystem.PurgeShop;
        var id = (await Body(await http.PostAsJsonAsync("/api/connections", new { shop, access_token = Token, entities = new[] { "orders" } })))
            .GetProperty("id").GetGuid();
        var runId = await StartSyncWhenKnown(http, shop);
        var run = await system.WaitForRunToFinish(http, runId);
        Assert.Equal("completed", run.GetProperty("status").GetString());
        await system.WaitForTelemetry(runId, run.GetProperty("steps")[0].GetProperty("started_at").GetDateTimeOffset(), "completed");
        await system.WaitForScalar($"SELECT count(*) > 0 FROM kpi.daily_sales WHERE shop_domain = '{shop}'", 1,
            "the KPI/Alert service's copy of the shop's sales");
        var held = await system.RowsHolding(shop);
        foreach (var schema in new[] { "connector.", "ingest.", "transform.", "kpi.", "gateway." })
            Assert.True(held.Any(table => table.StartsWith(schema, StringComparison.Ordinal)),
                $"No table of {schema} holds the shop before its purge: {string.Join(", ", held)}");
        Assert.NotEmpty(await system.ObjectKeysHolding(shop));
        Assert.NotEmpty(await system.ObjectKeysHolding(runId.ToString("N")));

        // Only an admin purges, and purge is true or false.
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/connections/{id}?purge=true")).StatusCode);
        var malformed = await http.DeleteAsync($"/api/connections/{id}?purge=yes");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("purge", (await Body(malformed)).GetProperty("parameter").GetString());

        // A run is under way when the purge comes: what it writes after the first sweep goes at the second.
        var underWay = await system.StartSync(http, shop);
        var purged = await http.DeleteAsync($"/api/connections/{id}?purge=true");
        var text = await purged.Content.ReadAsStringAsync();
        Assert.True(purged.StatusCode == HttpStatusCode.OK, $"{(int)purged.StatusCode}: {text}");
        var report = JsonDocument.Parse(text).RootElement;
        var purgeId = report.GetProperty("id").GetGuid();
        Assert.Equal($"/api/connections/purges/{purgeId}", purged.Headers.Location?.ToString());
        Assert.True(report.GetProperty("complete").GetBoolean(), text);
        Assert.Equal(["api-gateway", "connector", "ingest-saga", "kpi-alert", "transform"],
            report.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()).Order());
        long Removed(string service, string what) => report.GetProperty("services").EnumerateArray()
            .Single(s => s.GetProperty("service").GetString() == service)
            .GetProperty("removed").TryGetProperty(what, out var count) ? count.GetInt64() : 0;
        Assert.True(Removed("transform", "transform.order_header") > 0, text);
        Assert.True(Removed("transform", "transform.fact_order_line") > 0, text);
        Assert.True(Removed("kpi-alert", "kpi.daily_sales") > 0, text);
        Assert.True(Removed("ingest-saga", "ingest.bulk_sync_state") > 0, text);
        Assert.True(Removed("ingest-saga", "objects:telemetry/sync.telemetry/") >= 1, text);
        Assert.True(Removed("connector", "objects:raw/shopify/{shop}/") > 0, text);
        Assert.True(Removed("transform", "objects:measurement/sales/{shop}/") > 0, text);
        Assert.True(Removed("connector", "connector.connection") > 0, text);
        Assert.True(report.GetProperty("rows_removed").GetInt64() > 0 && report.GetProperty("objects_removed").GetInt64() > 1, text);
        Assert.DoesNotContain(shop, text);

        // Swept again a while later, the shop forgotten: nothing of it is left, no row in any schema, no archived object, not
        // even its runs' telemetry.
        await system.WaitForScalar(
            $"SELECT count(*) FROM connector.purge WHERE purge_id = '{purgeId}' AND sweep_shop IS NULL AND swept_again_at IS NOT NULL", 1,
            "the purge's second sweep");
        Assert.Empty(await Eventually(() => system.RowsHolding(shop)));
        Assert.Empty(await Eventually(() => system.ObjectKeysHolding(shop)));
        // Each service sweeps on its own after the Connector records the second sweep: the run's telemetry objects go in the Ingest-Saga's time.
        Assert.Empty(await Eventually(() => system.ObjectKeysHolding(runId.ToString("N"))));
        Assert.Empty(await Eventually(() => system.ObjectKeysHolding(underWay.ToString("N"))));
        Assert.NotEqual(JsonValueKind.Null, (await Body(await http.GetAsync($"/api/connections/purges/{purgeId}"))).GetProperty("swept_again_at").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/connections/{id}")).StatusCode);
        Assert.Equal(purgeId, (await Body(await http.GetAsync($"/api/connections/purges/{purgeId}"))).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/connections/purges/{purgeId}")).StatusCode);
        var unknown = await Until(http, shop, HttpStatusCode.BadRequest);
        Assert.Contains("not connected", await unknown.Content.ReadAsStringAsync());
    }

    private Uri Callback(Dictionary<string, string> parameters, params (string Name, string Value)[] changes)
    {
        var changed = new Dictionary<string, string>(parameters);
        foreach (var (name, value) in changes) changed[name] = value;
        return new Uri(system.Gateway,
            "/api/connections/shopify/callback?" + string.Join('&', changed.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
    }

    /// <summary>The redirect's parameters with <paramref name="changes"/>, signed again with the app's secret as Shopify signs them.</summary>
    private static Dictionary<string, string> Signed(Dictionary<string, string> parameters, params (string Name, string Value)[] changes)
    {
        var changed = new Dictionary<string, string>(parameters);
        foreach (var (name, value) in changes) changed[name] = value;
        var message = string.Join('&', changed.Where(p => p.Key != "hmac").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        changed["hmac"] = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(RunningSystem.AppSecret), System.Text.Encoding.UTF8.GetBytes(message)));
        return changed;
    }

    /// <summary>
    /// What <paramref name="read"/> finds once it finds nothing (the services' second sweeps land within seconds), or what it finds after 30 s.
    /// </summary>
    private static async Task<IReadOnlyList<string>> Eventually(Func<Task<IReadOnlyList<string>>> read)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<string> found;
        while ((found = await read()).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(500);
        return found;
    }

    /// <summary>The connection once its status is no longer <paramref name="status"/> (a change made in the background), or as it is after 30 s.</summary>
    private static async Task<JsonElement> WhenNot(HttpClient http, Guid id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement connection;
        do
        {
            await Task.Delay(250);
            connection = await Body(await http.GetAsync($"/api/connections/{id}"));
        } while (connection.GetProperty("status").GetString() == status && DateTime.UtcNow < deadline);
        return connection;
    }

    /// <summary>Starts a sync of a shop just connected, once the Ingest-Saga's copy has heard of it (within seconds).</summary>
    private async Task<Guid> StartSyncWhenKnown(HttpClient http, string shop, params string[] entities) =>
        (await Body(await Until(http, shop, HttpStatusCode.Accepted, entities))).GetProperty("run_id").GetGuid();

    /// <summary>Asks for a sync of <paramref name="shop"/> until the answer is <paramref name="expected"/> (the copies hear a change within seconds).</summary>
    private static Task<HttpResponseMessage> Until(HttpClient http, string shop, HttpStatusCode expected, params string[] entities) =>
        Until(http, "/api/performance-metrics/sync", new { shop, entities = entities.Length > 0 ? entities : ["orders"] }, expected, $"A sync of {shop}");

    /// <summary>Posts <paramref name="body"/> to <paramref name="path"/> until the answer is <paramref name="expected"/>, for 30 s at most.</summary>
    private static async Task<HttpResponseMessage> Until(HttpClient http, string path, object body, HttpStatusCode expected, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await http.PostAsJsonAsync(path, body);
            if (response.StatusCode == expected) return response;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException(
                    $"{what} was answered {(int)response.StatusCode} for 30 s, not {(int)expected}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(250);
        }
    }
}
