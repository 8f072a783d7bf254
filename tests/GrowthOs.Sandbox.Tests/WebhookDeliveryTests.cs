using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The Sandbox delivers bulk_operations/finish as Shopify does, to a receiver listening on real HTTP.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Token = "shpat_sandbox_webhook_token";
    private const string Secret = "shpss_sandbox_webhook_test_secret";

    private sealed record Delivery(Dictionary<string, string> Headers, string Body);

    /// <summary>A receiver on real HTTP that keeps every delivery and answers each as <paramref name="answer"/> says.</summary>
    private static async Task<(WebApplication App, string Address)> Receiver(List<Delivery> deliveries, Func<IResult> answer)
    {
        var receiver = WebApplication.CreateSlimBuilder();
        receiver.WebHost.UseUrls("http://127.0.0.1:0");
        var app = receiver.Build();
        app.MapPost("/webhooks/shopify", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            // Kestrel reuses a request's headers once it is answered: they are copied.
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            lock (deliveries) deliveries.Add(new Delivery(headers, body));
            return answer();
        });
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    [Fact]
    public async Task A_finished_operation_is_delivered_signed_with_shopifys_payload_and_headers_and_sent_again_until_answered()
    {
        var deliveries = new List<Delivery>();
        var answered = 0;
        // The first delivery fails: Shopify's (and the Sandbox's) answer is to send it again, under the same id.
        var (app, address) = await Receiver(deliveries, () => Interlocked.Increment(ref answered) == 1 ? Results.StatusCode(503) : Results.Ok());
        await using var receiver = app;

        using var sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Sandbox:BulkOperationDurationMilliseconds", "0")
            .UseSetting("Sandbox:AllowHttpWebhooks", "true")
            .UseSetting("Sandbox:Shops:0:AccessToken", Token)
            .UseSetting("Sandbox:Shops:0:AppSecret", Secret));
        var client = sandbox.CreateClient();
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", Token);
        async Task<JsonElement> Post(string query, object variables) =>
            await (await client.PostAsJsonAsync("/demo-shop.myshopify.com/admin/api/2026-01/graphql.json", new { query, variables }))
                .Content.ReadFromJsonAsync<JsonElement>();

        await Post("mutation($t: WebhookSubscriptionTopic!, $s: WebhookSubscriptionInput!) "
            + "{ webhookSubscriptionCreate(topic: $t, webhookSubscription: $s) { userErrors { message } } }",
            new { t = "BULK_OPERATIONS_FINISH", s = new { uri = $"{address}/webhooks/shopify" } });
        var started = await Post("mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } } }",
            new { q = "{ products { edges { node { id } } } }" });
        var id = started.GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation").GetProperty("id").GetString();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && Volatile.Read(ref answered) < 2) await Task.Delay(100);
        Assert.True(deliveries.Count >= 2, $"{deliveries.Count} deliveries in 15 s");

        var (first, second) = (deliveries[0], deliveries[1]);
        Assert.Equal(first.Headers["X-Shopify-Webhook-Id"], second.Headers["X-Shopify-Webhook-Id"]);
        Assert.Equal("bulk_operations/finish", second.Headers["X-Shopify-Topic"]);
        Assert.Equal("demo-shop.myshopify.com", second.Headers["X-Shopify-Shop-Domain"]);
        Assert.Equal("2026-01", second.Headers["X-Shopify-API-Version"]);
        Assert.False(string.IsNullOrEmpty(second.Headers["X-Shopify-Triggered-At"]));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(second.Body)));
        Assert.Equal(signature, second.Headers["X-Shopify-Hmac-Sha256"]);

        using var payload = JsonDocument.Parse(second.Body);
        JsonShape.Assert(
            JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bulk_operations_finish_webhook.json"))).RootElement,
            payload.RootElement);
        Assert.Equal(id, payload.RootElement.GetProperty("admin_graphql_api_id").GetString());
        Assert.Equal("completed", payload.RootElement.GetProperty("status").GetString());
        Assert.False(payload.RootElement.TryGetProperty("url", out _));

        await Task.Delay(1500);
        Assert.Equal(2, deliveries.Count);
    }

    [Fact]
    public async Task A_merchants_uninstall_revokes_the_token_and_sends_app_uninstalled_until_the_app_is_installed_again()
    {
        var deliveries = new List<Delivery>();
        var (app, address) = await Receiver(deliveries, () => Results.Ok());
        await using var receiver = app;

        using var sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Sandbox:AllowHttpWebhooks", "true")
            .UseSetting("Sandbox:Shops:0:AccessToken", Token)
            .UseSetting("Sandbox:Shops:0:AppSecret", Secret));
        var client = sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", Token);
        async Task<HttpResponseMessage> Post(string query, object variables) =>
            await client.PostAsJsonAsync("/demo-shop.myshopify.com/admin/api/2026-01/graphql.json", new { query, variables });

        var subscribed = await (await Post("mutation($t: WebhookSubscriptionTopic!, $s: WebhookSubscriptionInput!) "
            + "{ webhookSubscriptionCreate(topic: $t, webhookSubscription: $s) { webhookSubscription { topic } userErrors { message } } }",
            new { t = "APP_UNINSTALLED", s = new { uri = $"{address}/webhooks/shopify" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("APP_UNINSTALLED",
            subscribed.GetProperty("data").GetProperty("webhookSubscriptionCreate").GetProperty("webhookSubscription").GetProperty("topic").GetString());

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync("/sandbox/shops/demo-shop.myshopify.com/uninstall", null)).StatusCode);
        var refused = await Post("{ shop { name } }", new { });
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && deliveries.Count == 0) await Task.Delay(100);
        var delivery = Assert.Single(deliveries);
        Assert.Equal("app/uninstalled", delivery.Headers["X-Shopify-Topic"]);
        Assert.Equal("demo-shop.myshopify.com", delivery.Headers["X-Shopify-Shop-Domain"]);
        Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(delivery.Body))),
            delivery.Headers["X-Shopify-Hmac-Sha256"]);
        using var shop = JsonDocument.Parse(delivery.Body);
        Assert.Equal("demo-shop.myshopify.com", shop.RootElement.GetProperty("myshopify_domain").GetString());
        Assert.Equal(JsonValueKind.Number, shop.RootElement.GetProperty("id").ValueKind);

        // Installed again through the authorization code grant, the shop's token works again.
        var consent = await client.GetAsync("/demo-shop.myshopify.com/admin/oauth/authorize?client_id=sandbox-shopify-client-id&scope=read_orders" +
                                            "&redirect_uri=https%3A%2F%2Fgrowth.example.com%2Fcallback&state=s");
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(consent.Headers.Location!.Query)["code"].ToString();
        var exchange = await client.PostAsJsonAsync("/demo-shop.myshopify.com/admin/oauth/access_token",
            new { client_id = "sandbox-shopify-client-id", client_secret = Secret, code });
        Assert.Equal(System.Net.HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Post("{ shop { name } }", new { })).StatusCode);
        await Task.Delay(600);
        Assert.Single(deliveries);
    }

    [Fact]
    public async Task The_mandatory_compliance_webhooks_go_signed_to_the_apps_compliance_url_with_shopifys_payloads()
    {
        var deliveries = new List<Delivery>();
        var (app, address) = await Receiver(deliveries, () => Results.Ok());
        await using var receiver = app;
        using var sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Sandbox:Shops:0:AccessToken", Token)
            .UseSetting("Sandbox:Shops:0:AppSecret", Secret)
            .UseSetting("Sandbox:ShopifyApp:ComplianceUri", $"{address}/webhooks/shopify"));
        var client = sandbox.CreateClient();
        const string shop = "demo-shop.myshopify.com";

        async Task<Delivery> Next(string topic)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                lock (deliveries)
                    if (deliveries.FirstOrDefault(d => d.Headers["X-Shopify-Topic"] == topic) is { } found)
                        return found;
                await Task.Delay(100);
            }
            throw new TimeoutException($"No {topic} within 15 s");
        }
        void Signed(Delivery delivery)
        {
            Assert.Equal(shop, delivery.Headers["X-Shopify-Shop-Domain"]);
            Assert.Equal(Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(delivery.Body))),
                delivery.Headers["X-Shopify-Hmac-Sha256"]);
            Assert.False(string.IsNullOrEmpty(delivery.Headers["X-Shopify-Webhook-Id"]));
        }
        JsonElement Fixture(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))).RootElement;

        // A customer the merchant asks about: its orders named by id, the same the shop's orders say.
        var customer = sandbox.Services.GetRequiredService<GrowthOs.Sandbox.DemoData.DemoShops>() is var shops
            && shops.Settings(shop) is { } settings ? shops.Get(settings).Customers.First(c => c.NumberOfOrders >= 2) : null;
        Assert.NotNull(customer);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/sandbox/shops/{shop}/customers/{customer.Id}/data_request", null)).StatusCode);
        var request = await Next("customers/data_request");
        Signed(request);
        using var requested = JsonDocument.Parse(request.Body);
        JsonShape.Assert(Fixture("customers_data_request_webhook.json"), requested.RootElement);
        Assert.Equal(customer.Id, requested.RootElement.GetProperty("customer").GetProperty("id").GetInt64());
        Assert.Equal(customer.NumberOfOrders, requested.RootElement.GetProperty("orders_requested").GetArrayLength());

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/sandbox/shops/{shop}/customers/{customer.Id}/redact", null)).StatusCode);
        var redact = await Next("customers/redact");
        Signed(redact);
        using var redacted = JsonDocument.Parse(redact.Body);
        JsonShape.Assert(Fixture("customers_redact_webhook.json"), redacted.RootElement);
        Assert.Equal(customer.NumberOfOrders, redacted.RootElement.GetProperty("orders_to_redact").GetArrayLength());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.PostAsync($"/sandbox/shops/{shop}/customers/999999999/redact", null)).StatusCode);

        // shop/redact comes only after an uninstall (48 hours after it at Shopify; at once when the Sandbox is asked).
        Assert.Equal(System.Net.HttpStatusCode.Conflict, (await client.PostAsync($"/sandbox/shops/{shop}/redact", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/sandbox/shops/{shop}/uninstall", null)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/sandbox/shops/{shop}/redact", null)).StatusCode);
        var shopRedact = await Next("shop/redact");
        Signed(shopRedact);
        using var shopPayload = JsonDocument.Parse(shopRedact.Body);
        JsonShape.Assert(Fixture("shop_redact_webhook.json"), shopPayload.RootElement);
        Assert.Equal(shop, shopPayload.RootElement.GetProperty("shop_domain").GetString());

        // Each is sent once: asked again, shop/redact of the same uninstall is not sent twice.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.PostAsync($"/sandbox/shops/{shop}/redact", null)).StatusCode);
        await Task.Delay(800);
        lock (deliveries) Assert.Equal(3, deliveries.Count);
    }
}
