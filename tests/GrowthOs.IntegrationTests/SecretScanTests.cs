using System.Net;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// No access token, API key, client secret or e-mail address in any log, telemetry file or error body. This test scans
/// what the run has written when it runs, after a sync that reads customers (whose file holds their addresses) and
/// requests that fail with a wrong key or token; the running system scans the whole run again when every test is done
/// and fails the run on any finding.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SecretScanTests(RunningSystem system)
{
    [Fact]
    public async Task Nothing_the_system_wrote_or_answered_holds_a_secret_or_an_e_mail_address()
    {
        using var http = system.GatewayClient();
        var run = await system.WaitForRunToFinish(http, await system.StartSync(http, RunningSystem.SecretScanShop, ["orders", "customers"]));
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.True(await system.Scalar(
            $"SELECT count(*) FROM transform.customer WHERE shop_domain = '{RunningSystem.SecretScanShop}' AND email_sha256 IS NOT NULL") > 0);
        // A sync whose token Shopify refuses, a key the gateway does not know, a body it cannot read.
        var refused = await system.WaitForRunToFinish(http, await system.StartSync(http, RunningSystem.WrongTokenShop));
        // Its failed step reaches its telemetry after the run's state: wait for it, so the scan reads the telemetry it must.
        await system.WaitForScalar(
            $"SELECT (count(*) > 0)::int FROM ingest.sync_telemetry WHERE run_id = '{refused.GetProperty("run_id").GetGuid()}' AND status = 'failed'", 1,
            "the refused run's failed step in its telemetry");
        using var stranger = system.GatewayClient("gk_not_a_key_of_this_gateway_0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/ingest/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/performance-metrics/sync",
            new StringContent("{\"shop\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        var written = await system.EverythingWritten();

        Assert.Contains(written, w => w.Source.StartsWith("s3://", StringComparison.Ordinal));
        Assert.True(system.ErrorBodies.Count >= 2, "the failing requests' bodies are scanned too");
        Assert.Empty(SecretScan.Findings(written, RunningSystem.Secrets));
    }

    [Fact]
    public void The_scan_finds_a_planted_secret_and_address_and_passes_what_only_looks_like_them()
    {
        var findings = SecretScan.Findings(
        [
            ("log", $"{{\"token\":\"{RunningSystem.ShopToken}\"}}"),
            ("body", "{\"detail\":\"no customer ada.lovelace@example.com\"}"),
            ("log", "amqp://guest@127.0.0.1:55672/ shpat_ prefix alone, @handle, email_sha256"),
        ], RunningSystem.Secrets);

        Assert.Equal(2, findings.Count);
        Assert.StartsWith("log: the secret shpat_", findings[0]);
        Assert.DoesNotContain(RunningSystem.ShopToken, findings[0]);
        Assert.StartsWith("body: an e-mail address", findings[1]);
    }
}
