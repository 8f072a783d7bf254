using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrowthOs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Tests;

/// <summary>
/// The gateway in-process, with its audit log in the real PostgreSQL, proxying over real HTTP to a small downstream
/// service on a loopback port that echoes what reached it.
/// </summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string AdminKey = "gateway-admin-key-0123456789abcdef";
    private const string OperatorKey = "gateway-operator-key-0123456789abcdef";
    private const string ViewerKey = "gateway-viewer-key-0123456789abcdef";
    private const string LimitedKey = "gateway-limited-key-0123456789abcdef";
    private const string LimitedShop = "limited-shop.myshopify.com";
    private static readonly Guid StartedRun = Guid.Parse("0b0e0000-920a-9c53-0000-08df50000001");
    private WebApplication _downstream = null!;
    private TestDatabase _database = null!;
    private string _address = null!;
    private readonly List<WebApplicationFactory<Program>> _gateways = [];
    private static readonly string GatewaySecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_gateway");
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _downstream = builder.Build();
        _downstream.MapGet("/api/ingest/runs", (HttpRequest request) => Results.Json(new
        {
            path = request.Path.Value,
            query = request.QueryString.Value,
            api_key_header = request.Headers.ContainsKey("X-Api-Key"),
        }));
        _downstream.MapPost("/api/performance-metrics/sync", () => Results.Accepted($"/api/ingest/runs/{StartedRun}", new { run_id = StartedRun }));
        _downstream.MapPost("/api/ingest/replay", async (HttpRequest request) =>
        {
            var bytes = 0L;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0) bytes += read;
            return Results.Json(new { bytes });
        });
        await _downstream.StartAsync();
        _address = _downstream.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways) await gateway.DisposeAsync();
        await _downstream.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A gateway with the four test keys, held as salted hashes, and any further settings.</summary>
    private WebApplicationFactory<Program> Gateway(params (string Name, string Value)[] settings)
    {
        var gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString);
            // No secret is committed, not even for development: each run of the gateway is given one.
            web.UseSetting("Gateway:Secret", GatewaySecret);
            web.UseSetting("ReverseProxy:Clusters:ingest:Destinations:ingest-saga:Address", _address + "/");
            UseBroker(web);
            var keys = new[] { ("admin", "admin", AdminKey, (string?)null), ("ops", "operator", OperatorKey, null), ("reader", "viewer", ViewerKey, null),
                ("limited", "operator", LimitedKey, " Limited-Shop.myshopify.com") };
            for (var i = 0; i < keys.Length; i++)
            {
                var (id, role, key, shop) = keys[i];
                var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                web.UseSetting($"ApiKeys:Keys:{i}:Id", id);
                web.UseSetting($"ApiKeys:Keys:{i}:Role", role);
                web.UseSetting($"ApiKeys:Keys:{i}:Salt", salt);
                web.UseSetting($"ApiKeys:Keys:{i}:Sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + key))));
                if (shop is not null) web.UseSetting($"ApiKeys:Keys:{i}:Shops:0", shop);
            }
            foreach (var (name, value) in settings) web.UseSetting(name, value);
        });
        _gateways.Add(gateway);
        return gateway;
    }

    private static HttpClient Client(WebApplicationFactory<Program> gateway, string? key)
    {
        var client = gateway.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static Task<HttpResponseMessage> Sync(HttpClient client, string shop) =>
        client.PostAsJsonAsync("/api/performance-metrics/sync", new { shop });

    private static async Task<string> ProblemDetail(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)response.StatusCode, problem.GetProperty("status").GetInt32());
        return problem.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401_with_a_problem_body()
    {
        var response = await Client(Gateway(), null).GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Api-Key", await ProblemDetail(response));
    }

    [Fact]
    public async Task A_request_with_a_wrong_key_gets_401()
    {
        var response = await Client(Gateway(), AdminKey + "x").GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("The API key is not valid.", await ProblemDetail(response));
    }

    [Fact]
    public async Task A_viewers_read_is_proxied_with_its_path_and_query_and_without_the_key()
    {
        var body = await Client(Gateway(), ViewerKey).GetFromJsonAsync<JsonElement>("/api/ingest/runs?shop=a-shop.myshopify.com&page=2");
        Assert.Equal("/api/ingest/runs", body.GetProperty("path").GetString());
        Assert.Equal("?shop=a-shop.myshopify.com&page=2", body.GetProperty("query").GetString());
        Assert.False(body.GetProperty("api_key_header").GetBoolean());
    }

    [Fact]
    public async Task A_viewer_may_not_start_a_sync_and_an_operator_may()
    {
        var gateway = Gateway();
        var refused = await Sync(Client(gateway, ViewerKey), "a-shop.myshopify.com");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("needs the operator role", await ProblemDetail(refused));
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(Client(gateway, OperatorKey), "a-shop.myshopify.com")).StatusCode);
    }

    [Fact]
    public async Task A_key_limited_to_a_shop_reaches_that_shop_however_it_is_written_and_no_other()
    {
        var client = Client(Gateway(), LimitedKey);
        // The service behind is given the shop as it was authorized.
        var proxied = await client.GetFromJsonAsync<JsonElement>("/api/ingest/runs?shop=%20LIMITED-shop.myshopify.com%20&page=1");
        Assert.Equal($"?shop={LimitedShop}&page=1", proxied.GetProperty("query").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(client, "Limited-Shop.myshopify.com")).StatusCode);

        var otherShop = await client.GetAsync("/api/ingest/runs?shop=other-shop.myshopify.com");
        Assert.Equal(HttpStatusCode.Forbidden, otherShop.StatusCode);
        Assert.Contains("may not read or act on other-shop.myshopify.com", await ProblemDetail(otherShop));
        var noShop = await client.GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.Forbidden, noShop.StatusCode);
        Assert.Contains($"limited to {LimitedShop}", await ProblemDetail(noShop));
        Assert.Equal(HttpStatusCode.Forbidden, (await Sync(client, "other-shop.myshopify.com")).StatusCode);
    }

    [Fact]
    public async Task Reads_beyond_a_keys_limit_get_429_with_retry_after_while_its_actions_and_other_keys_go_on()
    {
        var gateway = Gateway(("Limits:ReadsPerMinute", "3"));
        var viewer = Client(gateway, ViewerKey);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/ingest/runs")).StatusCode);
        var refused = await viewer.GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Contains("3 reads a minute for the API key 'reader'", await ProblemDetail(refused));
        Assert.Equal(HttpStatusCode.OK, (await Client(gateway, AdminKey).GetAsync("/api/ingest/runs")).StatusCode);
    }

    [Fact]
    public async Task A_shop_is_sent_at_most_its_runs_an_hour_whichever_keys_send_them()
    {
        var gateway = Gateway(("Limits:ShopRunsPerHour", "2"));
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(Client(gateway, OperatorKey), "busy-shop.myshopify.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(Client(gateway, AdminKey), "BUSY-shop.myshopify.com")).StatusCode);
        var refused = await Sync(Client(gateway, OperatorKey), "busy-shop.myshopify.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) > 60);
        Assert.Contains("2 syncs, backfills and replays an hour for busy-shop.myshopify.com", await ProblemDetail(refused));
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(Client(gateway, OperatorKey), "quiet-shop.myshopify.com")).StatusCode);
    }

    [Fact]
    public async Task Actions_beyond_a_keys_limit_get_429()
    {
        var gateway = Gateway(("Limits:WritesPerMinute", "1"));
        var client = Client(gateway, OperatorKey);
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(client, "a-shop.myshopify.com")).StatusCode);
        var refused = await Sync(client, "b-shop.myshopify.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("1 actions a minute for the API key 'ops'", await ProblemDetail(refused));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_but_a_replay_upload_may_be_larger()
    {
        var gateway = Gateway(("Limits:MaxBodyBytes", "2048"), ("Limits:MaxReplayBodyBytes", "65536"));
        var client = Client(gateway, OperatorKey);
        var large = await client.PostAsync("/api/performance-metrics/sync",
            new StringContent($$"""{"shop":"a-shop.myshopify.com","pad":"{{new string('x', 4096)}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("at most 2048 bytes", await ProblemDetail(large));

        var upload = await client.PostAsync("/api/ingest/replay?shop=a-shop.myshopify.com",
            new StringContent(new string('{', 30_000), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(30_000, (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bytes").GetInt64());
        var tooLarge = await client.PostAsync("/api/ingest/replay?shop=a-shop.myshopify.com",
            new StringContent(new string('{', 70_000), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task Every_action_done_or_refused_is_in_the_audit_log_which_only_admins_read()
    {
        var gateway = Gateway();
        Assert.Equal(HttpStatusCode.Accepted, (await Sync(Client(gateway, OperatorKey), " Audited-Shop.myshopify.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Sync(Client(gateway, ViewerKey), "audited-shop.myshopify.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client(gateway, ViewerKey).GetAsync("/api/ingest/runs?shop=audited-shop.myshopify.com")).StatusCode);

        var viewerRead = await Client(gateway, ViewerKey).GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.Forbidden, viewerRead.StatusCode);
        Assert.Contains("needs the admin role", await ProblemDetail(viewerRead));

        var answer = await Client(gateway, AdminKey).GetStringAsync("/api/audit?shop=audited-shop.myshopify.com");
        foreach (var key in new[] { AdminKey, OperatorKey, ViewerKey }) Assert.DoesNotContain(key, answer, StringComparison.Ordinal);
        var entries = JsonDocument.Parse(answer).RootElement.GetProperty("entries").EnumerateArray().ToList();
        // Reads are not audited; the two actions are, and this read of the audit log (still under way as it reads), newest first.
        Assert.Equal(3, entries.Count);
        var (own, refused, done) = (entries[0], entries[1], entries[2]);
        Assert.Equal(("admin", "GET", "/api/audit", "pending"),
            (own.GetProperty("key_id").GetString(), own.GetProperty("method").GetString(), own.GetProperty("path").GetString(),
                own.GetProperty("outcome").GetString()));
        Assert.Equal(("reader", "viewer", "POST", 403, "refused"),
            (refused.GetProperty("key_id").GetString(), refused.GetProperty("role").GetString(), refused.GetProperty("method").GetString(),
                refused.GetProperty("status").GetInt32(), refused.GetProperty("outcome").GetString()));
        Assert.Equal(("ops", "operator", "/api/performance-metrics/sync", 202, "succeeded", StartedRun),
            (done.GetProperty("key_id").GetString(), done.GetProperty("role").GetString(), done.GetProperty("path").GetString(),
                done.GetProperty("status").GetInt32(), done.GetProperty("outcome").GetString(), done.GetProperty("run_id").GetGuid()));
        Assert.Equal("audited-shop.myshopify.com", done.GetProperty("shop").GetString());
        // The in-process server has no client address; the integration suite sees a real one.
        Assert.True(done.TryGetProperty("client_address", out _));

        // Once answered, that read is recorded as done.
        var read = (await Client(gateway, AdminKey).GetFromJsonAsync<JsonElement>("/api/audit?key=admin&limit=2")).GetProperty("entries")[1];
        Assert.Equal((own.GetProperty("entry_id").GetInt64(), 200, "succeeded"),
            (read.GetProperty("entry_id").GetInt64(), read.GetProperty("status").GetInt32(), read.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Anonymous_actions_are_counted_not_written_a_row_each_and_a_flood_is_limited_before_the_audit()
    {
        var gateway = Gateway(("Limits:AnonymousPerMinute", "5"));
        var anonymous = Client(gateway, null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await Sync(anonymous, "flooded-shop.myshopify.com")).StatusCode);
        // The first five are refused by authorization, the rest by the limiter, which runs before the audit.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);

        var audit = await Client(gateway, AdminKey).GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.DoesNotContain(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("path").GetString() == "/api/performance-metrics/sync");
        var counted = Assert.Single(audit.GetProperty("anonymous_refusals").EnumerateArray());
        Assert.Equal(("POST", "/api/performance-metrics/sync", 5L),
            (counted.GetProperty("method").GetString(), counted.GetProperty("path").GetString(), counted.GetProperty("refused").GetInt64()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=2147483648", "limit")]
    [InlineData("before=-1", "before")]
    [InlineData("before=9223372036854775808", "before")]
    [InlineData("from=9999-12-31", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-01&to=2026-11-01", "to")]
    [InlineData("shop=%27%3B%20DROP%20TABLE%20x%3B--", "shop")]
    public async Task A_bad_audit_parameter_gets_400_naming_it(string query, string parameter)
    {
        var response = await Client(Gateway(), AdminKey).GetAsync($"/api/audit?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task The_keys_are_listed_for_admins_by_id_role_and_shops_never_by_hash()
    {
        var answer = await Client(Gateway(), AdminKey).GetStringAsync("/api/keys");
        Assert.DoesNotContain("sha256", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("salt", answer, StringComparison.OrdinalIgnoreCase);
        var limited = JsonDocument.Parse(answer).RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "limited");
        Assert.Equal(("operator", LimitedShop), (limited.GetProperty("role").GetString(), limited.GetProperty("shops")[0].GetString()));
    }

    [Fact]
    public async Task An_admin_makes_a_key_at_run_time_that_every_replica_accepts_shown_once_and_refused_within_a_second_of_its_revocation()
    {
        var (one, other) = (Gateway(), Gateway());
        var admin = Client(one, AdminKey);
        var made = await admin.PostAsJsonAsync("/api/keys", new { id = "agency-reader", role = "viewer", shops = new[] { "Made-Shop.myshopify.com" } });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var answer = await made.Content.ReadFromJsonAsync<JsonElement>();
        var key = answer.GetProperty("key").GetString()!;
        Assert.Equal(("agency-reader", "viewer", "made-shop.myshopify.com"),
            (answer.GetProperty("id").GetString(), answer.GetProperty("role").GetString(), answer.GetProperty("shops")[0].GetString()));
        Assert.Equal("no-store", made.Headers.CacheControl?.ToString());

        // Another replica, which did not make it, takes it within its next read of the keys; limited to its shop.
        var reader = Client(other, key);
        var deadline = DateTime.UtcNow.AddSeconds(2);
        HttpResponseMessage read;
        while ((read = await reader.GetAsync("/api/ingest/runs?shop=made-shop.myshopify.com")).StatusCode == HttpStatusCode.Unauthorized
            && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/ingest/runs?shop=other-shop.myshopify.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Sync(reader, "made-shop.myshopify.com")).StatusCode);

        // Listed by id, role, shops and maker; never the key or its hash.
        var listed = await admin.GetStringAsync("/api/keys");
        Assert.DoesNotContain(key, listed);
        Assert.DoesNotContain("sha256", listed, StringComparison.OrdinalIgnoreCase);
        var entry = JsonDocument.Parse(listed).RootElement.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "agency-reader");
        Assert.Equal(("api", "admin"), (entry.GetProperty("source").GetString(), entry.GetProperty("created_by").GetString()));

        // Revoked on the first replica: the other refuses it within a second.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/keys/agency-reader")).StatusCode);
        var revoked = System.Diagnostics.Stopwatch.StartNew();
        while ((await reader.GetAsync("/api/ingest/runs?shop=made-shop.myshopify.com")).StatusCode != HttpStatusCode.Unauthorized
            && revoked.Elapsed < TimeSpan.FromSeconds(3))
            await Task.Delay(50);
        Assert.True(revoked.Elapsed < TimeSpan.FromSeconds(1), $"the revoked key was still accepted after {revoked.Elapsed}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(one, key).GetAsync("/api/ingest/runs?shop=made-shop.myshopify.com")).StatusCode);
        // Its id is not given again, and it cannot be revoked twice.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/keys", new { id = "agency-reader", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/keys/agency-reader")).StatusCode);
    }

    [Theory]
    [InlineData("{\"id\":\"Bad Id\",\"role\":\"viewer\"}", 400, "id")]
    [InlineData("{\"id\":\"fine\",\"role\":\"root\"}", 400, "role")]
    [InlineData("{\"id\":\"fine\",\"role\":\"viewer\",\"shops\":[\"not a shop\"]}", 400, "shops")]
    [InlineData("{\"id\":\"fine\",\"role\":\"viewer\",\"shops\":\"a-shop.myshopify.com\"}", 400, "shops")]
    [InlineData("[1]", 400, "body")]
    [InlineData("{\"id\":\"admin\",\"role\":\"viewer\"}", 409, "id")]
    public async Task A_bad_key_request_gets_a_problem_naming_what_was_wrong_and_stores_nothing(string json, int status, string parameter)
    {
        var admin = Client(Gateway(), AdminKey);
        var response = await admin.PostAsync("/api/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        Assert.DoesNotContain(JsonDocument.Parse(await admin.GetStringAsync("/api/keys")).RootElement.GetProperty("keys").EnumerateArray(),
            k => k.GetProperty("source").GetString() == "api" && k.GetProperty("id").GetString() == "fine");
    }

    [Theory]
    [InlineData(OperatorKey, "/api/keys", 403)]
    [InlineData(AdminKey, "/api/keys/admin", 409)]
    [InlineData(AdminKey, "/api/keys/nobody", 404)]
    public async Task Only_an_admin_revokes_and_only_a_key_made_at_run_time(string key, string path, int status) =>
        Assert.Equal(status, (int)(await Client(Gateway(), key).DeleteAsync(path == "/api/keys" ? "/api/keys/reader" : path)).StatusCode);

    [Theory]
    [InlineData("/nothing-here", 404)]
    [InlineData("/api/dashboard/sales-pulse?shop=a-shop.myshopify.com", 502)]
    public async Task An_unknown_route_and_an_unreachable_service_get_a_problem_body(string path, int status)
    {
        // The Transform's cluster points at a port nothing listens on.
        var gateway = Gateway(("ReverseProxy:Clusters:transform:Destinations:transform:Address", "http://127.0.0.1:9/"));
        var response = await Client(gateway, ViewerKey).GetAsync(path);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Health_answers_without_a_key() =>
        Assert.Equal(HttpStatusCode.OK, (await Client(Gateway(), null).GetAsync("/health/live")).StatusCode);

    [Fact]
    public void The_gateway_refuses_to_start_without_an_api_key_and_names_the_setting()
    {
        var exception = StartupFailure(() => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Postgres", _database.ConnectionString);
            web.UseSetting("Gateway:Secret", GatewaySecret);
            UseBroker(web);
        }));
        Assert.Contains("ApiKeys:Keys", exception.Message);
    }

    /// <summary>The local broker, on which the gateway hears only a shop's purge.</summary>
    private static void UseBroker(Microsoft.AspNetCore.Hosting.IWebHostBuilder web)
    {
        web.UseSetting("RabbitMq:Port", LocalInfrastructure.AmqpPort.ToString());
        foreach (var (name, value) in LocalInfrastructure.ServiceCredentials.Where(s => s.Key.StartsWith("RabbitMq__", StringComparison.Ordinal)))
            web.UseSetting(name.Replace("__", ":"), value);
    }

    [Theory]
    [InlineData("Role", "superuser", "ApiKeys:Keys:1:Role")]
    [InlineData("Sha256", "not-a-hash", "ApiKeys:Keys:1:Sha256")]
    [InlineData("Salt", "", "ApiKeys:Keys:1:Salt")]
    [InlineData("Id", "Has Spaces", "ApiKeys:Keys:1:Id")]
    [InlineData("Shops:0", "not a shop", "ApiKeys:Keys:1:Shops")]
    public void A_bad_nested_key_setting_stops_start_up_naming_it(string setting, string value, string named)
    {
        var exception = StartupFailure(() =>
        {
            _gateways.Remove(Gateway());
            return Gateway((setting == "Shops:0" ? "ApiKeys:Keys:1:Shops:0" : $"ApiKeys:Keys:1:{setting}", value));
        });
        Assert.Contains(named, exception.Message);
    }

    /// <summary>
    /// The validation error a gateway refuses to start with. WebApplicationFactory starts a minimal-hosting app on a
    /// thread of its own; when the app fails to start, the factory may first ask the already disposed provider for a
    /// service and report that instead (dotnet/aspnetcore#33494). Starting again tells the two apart.
    /// </summary>
    private static OptionsValidationException StartupFailure(Func<WebApplicationFactory<Program>> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = create();
            try
            {
                factory.CreateClient();
            }
            catch (OptionsValidationException exception)
            {
                return exception;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
                continue;
            }
            throw new Xunit.Sdk.XunitException("The gateway started although its settings are invalid.");
        }
    }
}
