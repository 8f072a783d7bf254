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
        Assert.Empty((await limited.GetFromJsonAsync<JsonElement>($"/api/etl/loads/{runId}?{theirs}")).GetProperty("loads").EnumerateArray());
        // And without naming one it is refused at the gateway.
        Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/ingest/runs/{runId}")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_reads_but_cannot_start_a_run_a_shop_limited_operator_acts_on_no_other_shop_and_the_admin_sees_both_refusals()
    {
        using var viewer = system.GatewayClient(RunningSystem.ViewerKey);
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
        var viewerRefusal = Assert.Single(entries, e => e.GetProperty("key_id").GetString() == "tests-viewer");
        Assert.Equal(("viewer", "/api/ingest/backfill", RunningSystem.KpiShop, 403, "refused", "127.0.0.1"),
            (viewerRefusal.GetProperty("role").GetString(), viewerRefusal.GetProperty("path").GetString(), viewerRefusal.GetProperty("shop").GetString(),
                viewerRefusal.GetProperty("status").GetInt32(), viewerRefusal.GetProperty("outcome").GetString(), viewerRefusal.GetProperty("client_address").GetString()));
        Assert.Contains(entries, e => e.GetProperty("key_id").GetString() == "tests-kpi-operator" && e.GetProperty("shop").GetString() == RunningSystem.TraceShop
            && e.GetProperty("status").GetInt32() == 403);
        Assert.Contains(entries, e => e.GetProperty("key_id").GetString() == "tests" && e.GetProperty("role").GetString() == "admin"
            && e.GetProperty("path").GetString() == "/api/etl/run" && e.GetProperty("status").GetInt32() == 400);
        var logs = system.Logs("ApiGateway");
        Assert.Contains("\"ApiKeyId\":\"tests-viewer\"", logs, StringComparison.Ordinal);
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
        foreach (var (secret, at, refusal) in new[] { ("not-the-gateway-secret-0123456789abcdef", now, "does not match"), (RunningSystem.GatewaySecret, now.AddMinutes(-30), "expired") })
        {
            using var forged = new HttpRequestMessage(HttpMethod.Get, path);
            Sign(forged, secret, at, absolutePath);
            var answer = await direct.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Contains(refusal, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Signed as the gateway signs: answered. The probes need no signature.
        using var signed = new HttpRequestMessage(HttpMethod.Get, path);
        Sign(signed, RunningSystem.GatewaySecret, now, absolutePath);
        Assert.Equal(HttpStatusCode.OK, (await direct.SendAsync(signed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/health/live")).StatusCode);
        using var gateway = system.GatewayClient();
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync(path)).StatusCode);
    }

    /// <summary>The gateway's signature as its README describes it, written here on its own: HMAC-SHA256 of time, method, path, caller and role.</summary>
    private static void Sign(HttpRequestMessage request, string secret, DateTimeOffset at, string path)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret),
            System.Text.Encoding.UTF8.GetBytes($"{timestamp}\nGET\n{path}\ntests\nadmin"));
        request.Headers.Add("X-GrowthOs-Caller", "tests");
        request.Headers.Add("X-GrowthOs-Role", "admin");
        request.Headers.Add("X-GrowthOs-Timestamp", timestamp);
        request.Headers.Add("X-GrowthOs-Signature", Convert.ToHexStringLower(signature));
    }
}
