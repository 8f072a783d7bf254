using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// Completion by webhook: the Connector subscribed each shop to bulk_operations/finish at the gateway, the Sandbox
/// signs and sends it as Shopify does, the gateway checks the signature and the run polls at once, before its next
/// timed poll would.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebhookTests(RunningSystem system)
{
    [Fact]
    public async Task A_finish_webhook_reaches_its_run_and_polls_it_at_once()
    {
        using var http = system.GatewayClient();
        // A first run warms every service up, so that the second's polls come when they are due.
        await system.WaitForRunToFinish(http, await system.StartSync(http, RunningSystem.WebhookShop));
        var runId = await system.StartSync(http, RunningSystem.WebhookShop);
        var run = await system.WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");

        var deliveries = await system.Scalar($"SELECT count(*) FROM ingest.webhook_delivery WHERE run_id = '{runId}' AND topic = 'bulk_operations/finish'");
        Assert.True(deliveries == 1,
            $"{deliveries} deliveries recorded for the run\n{Webhooks("IngestSaga")}\n{Webhooks("IngestSaga-2")}\n{Webhooks("ApiGateway")}");
        // The timed polls (after 1 s, then 2 s more) find the 5 s operation running; the next would come 4 s later. The run
        // counts the polls Shopify's notice made: the webhook reached the run and polled it.
        var counts = run.GetProperty("counts");
        Assert.True(counts.GetProperty("polls_on_notice").GetInt64() == 1,
            $"counts {counts}: the webhook did not move the run on\n{system.Logs("Sandbox")}\n{Webhooks("IngestSaga")}\n{Webhooks("IngestSaga-2")}");
    }

    private string Webhooks(string service) =>
        string.Join("\n", system.Logs(service).Split('\n').Where(l => l.Contains("webhook", StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public async Task A_delivery_with_a_wrong_or_missing_signature_on_any_spelling_of_the_path_or_out_of_its_window_is_refused_and_a_replay_is_not_forwarded()
    {
        using var http = new HttpClient { BaseAddress = system.Gateway };
        const string Body = """{"admin_graphql_api_id":"gid://shopify/BulkOperation/1","completed_at":null,"created_at":"2026-12-01T00:00:00Z","error_code":"""
            + """null,"status":"completed","type":"query"}""";
        var webhookId = Guid.NewGuid().ToString();

        HttpRequestMessage Delivery(string? signature, string path = "/webhooks/shopify", DateTimeOffset? triggeredAt = null, string? id = null)
        {
            // Absolute, so that a path starting with two slashes is a path and not another host.
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(system.Gateway.GetLeftPart(UriPartial.Authority) + path))
            {
                Content = new StringContent(Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Shopify-Topic", "bulk_operations/finish");
            request.Headers.Add("X-Shopify-Shop-Domain", RunningSystem.WebhookShop);
            request.Headers.Add("X-Shopify-Webhook-Id", id ?? webhookId);
            request.Headers.Add("X-Shopify-Triggered-At", (triggeredAt ?? DateTimeOffset.UtcNow).ToString("O"));
            if (signature is not null) request.Headers.Add("X-Shopify-Hmac-Sha256", signature);
            return request;
        }

        var signed = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(RunningSystem.AppSecret), Encoding.UTF8.GetBytes(Body)));
        var forged = Convert.ToBase64String(HMACSHA256.HashData("not-the-secret"u8.ToArray(), Encoding.UTF8.GetBytes(Body)));

        var missing = await http.SendAsync(Delivery(null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Contains("X-Shopify-Hmac-Sha256", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Delivery(forged))).StatusCode);
        // Every spelling of the path the route matches is checked: none reaches the Ingest-Saga unsigned.
        foreach (var path in new[] { "/webhooks/shopify/", "/Webhooks/Shopify", "//webhooks/shopify", "/webhooks//shopify/", "/WEBHOOKS/shopify//" })
        {
            var unsigned = await http.SendAsync(Delivery(null, path));
            Assert.True(unsigned.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)unsigned.StatusCode} {await unsigned.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Delivery(forged, path))).StatusCode);
        }
        // A signed delivery from outside the replay window (an hour) is refused.
        var stale = await http.SendAsync(Delivery(signed, triggeredAt: DateTimeOffset.UtcNow.AddHours(-2), id: Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("X-Shopify-Triggered-At", await stale.Content.ReadAsStringAsync());
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM ingest.webhook_delivery WHERE webhook_id = '{webhookId}'"));

        var first = await http.SendAsync(Delivery(signed, "/webhooks/shopify/"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no_run", JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString());
        // The same delivery again, signed as it was: answered, and not forwarded a second time.
        var replay = await http.SendAsync(Delivery(signed));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("already_received", JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal(1L, await system.Scalar($"SELECT count(*) FROM ingest.webhook_delivery WHERE webhook_id = '{webhookId}'"));
        await system.WaitForLog("ApiGateway", "Refused a Shopify webhook with a {Problem} signature");
        await system.WaitForLog("ApiGateway", "\"Problem\":\"missing\"");
        foreach (var service in new[] { "ApiGateway", "IngestSaga", "Connector", "Sandbox" })
            Assert.DoesNotContain(RunningSystem.AppSecret, system.Logs(service));
    }
}
