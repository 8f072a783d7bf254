using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>The gateway's roles, shop limits and audit log, in front of the running services.</summary>
[Collection(SystemCollection.Name)]
public sealed class GatewaySecurityTests(RunningSystem system)
{
    [Fact]
    public async Task A_shop_limited_key_reads_no_other_shops_run_by_its_id()
    {
        using var admin = system.GatewayClient();
        var runId = await system.StartSync(admin, RunningSystem.LimitedReadShop);
        var run = await system.WaitForRunToFinish(admin, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}");
        var own = $"shop={RunningSystem.LimitedReadShop}";
        // The run's shop reads them (the evidence once the run's telemetry has arrived).
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/ingest/runs/{runId}?{own}")).StatusCode);
        Assert.NotEmpty((await admin.GetFromJsonAsync<JsonElement>($"/api/etl/loads/{runId}?{own}")).GetProperty("loads").EnumerateArray());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetAsync($"/api/ingest/runs/{runId}/evidence?{own}")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run's evidence never arrived");
            await Task.Delay(500);
        }

        // A key limited to another shop names its own and finds nothing of this run.
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        var theirs = $"shop={RunningSystem.KpiShop}";
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/api/ingest/runs/{runId}?{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/api/ingest/runs/{runId}/evidence?{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await limited.GetAsync($"/analytics/runs/{runId}/evidence?{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/analytics/runs/{runId}/evidence?{own}")).StatusCode);
        Assert.Empty((await limited.GetFromJsonAsync<JsonElement>($"/api/etl/loads/{runId}?{theirs}")).GetProperty("loads").EnumerateArray());
        // And without naming one it is refused at the gateway.
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/ingest/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/analytics/runs/{runId}/evidence")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_reads_but_cannot_start_a_run_a_shop_limited_operator_acts_on_no_other_shop_and_the_admin_sees_both_refusals()
    {
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
        // A client's own X-Forwarded-For names no address: no proxy in front of this gateway is known (Limits:KnownProxies).
        viewer.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/ingest/runs?shop={RunningSystem.KpiShop}")).StatusCode);
        var refused = await viewer.PostAsJsonAsync("/api/ingest/backfill", new { shop = RunningSystem.KpiShop, from = "2026-01-01", to = "2026-01-31" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("operator", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync($"/api/ingest/runs?shop=%20{RunningSystem.KpiShop.ToUpperInvariant()}")).StatusCode);
        var otherShop = await limited.PostAsJsonAsync("/api/performance-metrics/sync", new { shop = RunningSystem.TraceShop });
        Assert.Equal(HttpStatusCode.Forbidden, otherShop.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/dashboard/sales-pulse?shop={RunningSystem.TraceShop}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync("/api/ingest/runs")).StatusCode);

        // An action the service behind refuses is in the log with the service's answer.
        using var admin = system.GatewayClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/etl/run?pipeline=all", null)).StatusCode);

        var entries = (await admin.GetFromJsonAsync<JsonElement>("/api/audit?limit=1000")).GetProperty("entries").EnumerateArray().ToList();
        var viewerRefusal = Assert.Single(entries,
            e => e.GetProperty("key_id").GetString() == "tests-viewer" && e.GetProperty("path").GetString() == "/api/ingest/backfill");
        Assert.Equal(("viewer", "/api/ingest/backfill", RunningSystem.KpiShop, 403, "refused", "127.0.0.1"),
            (viewerRefusal.GetProperty("role").GetString(), viewerRefusal.GetProperty("path").GetString(), viewerRefusal.GetProperty("shop").GetString(),
                viewerRefusal.GetProperty("status").GetInt32(), viewerRefusal.GetProperty("outcome").GetString(),
                viewerRefusal.GetProperty("client_address").GetString()));
        Assert.Contains(entries, e => e.GetProperty("key_id").GetString() == "tests-kpi-operator"
            && e.GetProperty("shop").GetString() == RunningSystem.TraceShop && e.GetProperty("status").GetInt32() == 403);
        Assert.Contains(entries, e => e.GetProperty("key_id").GetString() == "tests" && e.GetProperty("role").GetString() == "admin"
            && e.GetProperty("path").GetString() == "/api/etl/run" && e.GetProperty("status").GetInt32() == 400);
        await system.WaitForLog("ApiGateway", "\"ApiKeyId\":\"tests-viewer\"");
        var logs = system.Logs("ApiGateway");
        foreach (var key in new[] { RunningSystem.ApiKey, RunningSystem.ViewerKey, RunningSystem.KpiOperatorKey })
            Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IngestSaga", "/api/ingest/runs")]
    [InlineData("Transform", "/api/dashboard/sales-pulse?shop=kpi-shop.myshopify.com")]
    [InlineData("KpiAlert", "/api/alerts/rules")]
    [InlineData("Transform", "/openapi/v1.json")]
    public async Task A_call_that_goes_around_the_gateway_is_refused_unless_the_gateway_signed_it(string service, string path)
    {
        using var direct = new HttpClient { BaseAddress = system.ServiceAddress(service) };

        var unsigned = await direct.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("application/problem+json", unsigned.Content.Headers.ContentType?.MediaType);
        Assert.Contains("through the API gateway only", (await unsigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // Headers that claim to be the gateway's, signed with another key, or signed too long ago.
        var absolutePath = path.Split('?')[0];
        var now = DateTimeOffset.UtcNow;
        foreach (var (secret, at, refusal) in new[] { ("not-the-gateway-secret-0123456789abcdef", now, "does not match"),
            (RunningSystem.GatewaySecret, now.AddMinutes(-30), "expired") })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Get, path);
            Sign(forged, secret, at, absolutePath);
            var answer = await direct.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Contains(refusal, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Signed as the gateway signs: answered once. The same signed request again (caught on the way) is refused.
        using var signed = new HttpRequestMessage(HttpMethod.Get, path);
        var nonce = Sign(signed, RunningSystem.GatewaySecret, now, absolutePath);
        Assert.Equal(HttpStatusCode.OK, (await direct.SendAsync(signed)).StatusCode);
        using var replayed = new HttpRequestMessage(HttpMethod.Get, path);
        Sign(replayed, RunningSystem.GatewaySecret, now, absolutePath, nonce: nonce);
        var refusedReplay = await direct.SendAsync(replayed);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedReplay.StatusCode);
        Assert.Contains("used before", await refusedReplay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/health/live")).StatusCode);
        using var gateway = system.GatewayClient();
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync(path)).StatusCode);
    }

    /// <summary>
    /// The gateway's signature as its README describes it, written here on its own: HMAC-SHA256 of time, method, path,
    /// the query's parameters sorted and escaped, caller, role, the shop authorized, the caller's shops, a nonce and the
    /// body's SHA-256. Returns the nonce.
    /// </summary>
    private static string Sign(HttpRequestMessage request, string secret, DateTimeOffset at, string path, string role = "admin", string shop = "",
        string shops = "", string body = "", string? nonce = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var query = string.Join('&',
            Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.RequestUri!.OriginalString.Split('?').ElementAtOrDefault(1))
                .OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v!)}")));
        nonce ??= Guid.NewGuid().ToString("N");
        var bodyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret),
            System.Text.Encoding.UTF8.GetBytes($"{timestamp}\n{request.Method.Method}\n{path}\n{query}\ntests\n{role}\n{shop}\n{shops}\n{nonce}\n{bodyHash}"));
        request.Headers.Add("X-GrowthOs-Caller", "tests");
        request.Headers.Add("X-GrowthOs-Role", role);
        request.Headers.Add("X-GrowthOs-Shop", shop);
        request.Headers.Add("X-GrowthOs-Shops", shops);
        request.Headers.Add("X-GrowthOs-Timestamp", timestamp);
        request.Headers.Add("X-GrowthOs-Nonce", nonce);
        request.Headers.Add("X-GrowthOs-Body-Sha256", bodyHash);
        request.Headers.Add("X-GrowthOs-Signature", Convert.ToHexStringLower(signature));
        return nonce;
    }

    [Fact]
    public async Task A_shop_limited_key_starts_no_run_of_another_shop_however_the_request_names_it()
    {
        using var limited = system.GatewayClient(RunningSystem.KpiOperatorKey);
        var (mine, theirs) = (RunningSystem.KpiShop, RunningSystem.TraceShop);
        var runsOfTheirs = $"SELECT count(*) FROM ingest.bulk_sync_state WHERE shop_domain = '{theirs}'";
        var theirRuns = await system.Scalar(runsOfTheirs);
        async Task<(HttpStatusCode Status, string Body)> Post(string path, string json)
        {
            var response = await limited.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        // The body names the shop twice, in two cases: the service would act on the last; the gateway refuses it.
        var twice = await Post("/api/performance-metrics/sync", $$"""{"shop":"{{mine}}","Shop":"{{theirs}}"}""");
        Assert.True(twice.Status == HttpStatusCode.BadRequest, twice.Body);
        Assert.Equal("shop", JsonDocument.Parse(twice.Body).RootElement.GetProperty("parameter").GetString());
        // The query names one shop and the body another.
        var split = await Post($"/api/ingest/backfill?shop={mine}", $$"""{"shop":"{{theirs}}","from":"2026-01-01","to":"2026-01-02"}""");
        Assert.True(split.Status == HttpStatusCode.BadRequest, split.Body);
        Assert.Contains(theirs, split.Body);
        // Another shop in another case of the field, or escaped in the JSON: refused as that shop.
        foreach (var body in new[] { $$"""{"SHOP":"{{theirs}}"}""", $$"""{"shop":"{{theirs}}"}""",
            $$"""{"sources":["meta"],"sHoP":" {{theirs.ToUpperInvariant()}} "}""" })
        {
            var other = await Post("/api/marketing/sync", body);
            Assert.True(other.Status == HttpStatusCode.Forbidden, $"{body}: {other.Status} {other.Body}");
        }
        // No shop at all: the service would take the deployment's first; the gateway refuses a limited key that names none.
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("/api/performance-metrics/sync", """{"initiator":"user"}""")).Status);
        Assert.Equal(theirRuns, await system.Scalar(runsOfTheirs));

        // Behind the gateway, the service acts only on the shop the gateway signed, and only within the caller's shops.
        using var direct = new HttpClient { BaseAddress = system.ServiceAddress("IngestSaga") };
        async Task<HttpResponseMessage> Direct(string shop, string shops, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/performance-metrics/sync")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            Sign(request, RunningSystem.GatewaySecret, DateTimeOffset.UtcNow, "/api/performance-metrics/sync", "operator", shop, shops, body);
            return await direct.SendAsync(request);
        }
        var unsigned = await Direct(mine, mine, $$"""{"shop":"{{theirs}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unsigned.StatusCode);
        Assert.Contains($"authorized it for {mine}", await unsigned.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await Direct("", mine, $$"""{"shop":"{{theirs}}"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Direct("", mine, "{}")).StatusCode);
        // A body changed on the way (signed for one shop, sent naming another) is refused before anything reads it.
        using (var tampered = new HttpRequestMessage(HttpMethod.Post, "/api/performance-metrics/sync")
        {
            Content = new StringContent($$"""{"shop":"{{theirs}}"}""", System.Text.Encoding.UTF8, "application/json"),
        })
        {
            Sign(tampered, RunningSystem.GatewaySecret, DateTimeOffset.UtcNow, "/api/performance-metrics/sync", "admin", body: $$"""{"shop":"{{mine}}"}""");
            var refused = await direct.SendAsync(tampered);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("not the one the gateway signed", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(theirRuns, await system.Scalar(runsOfTheirs));
    }
}
