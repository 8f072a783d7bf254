using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GrowthOs.Sandbox.Tests;

public sealed class GraphQlEndpointTests : IDisposable
{
    private const string Token = "shpat_sandbox_test_token";
    private readonly WebApplicationFactory<Program> _sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseSetting("Sandbox:BulkOperationDurationMilliseconds", "60000")
        .UseSetting("Sandbox:Shops:0:AccessToken", Token));

    private const string RunQuery =
        "mutation run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }";

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string version, object body, string token = Token)
    {
        var client = _sandbox.CreateClient();
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", token);
        var response = await client.PostAsJsonAsync($"/demo-shop.myshopify.com/admin/api/{version}/graphql.json", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static object BulkOrders => new { query = RunQuery, variables = new { query = "{ orders { edges { node { id } } } }" } };

    [Fact]
    public async Task A_wrong_token_gets_shopifys_401()
    {
        var (status, body) = await Post("2026-01", BulkOrders, token: "shpat_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("[API] Invalid API key or access token (unrecognized login or wrong password)", body.GetProperty("errors").GetString());
    }

    [Fact]
    public async Task The_shop_query_answers_the_shops_name_currency_time_zone_and_plan()
    {
        // The fields a connection's check reads, as shopify.dev's Shop and ShopPlan objects document them (2026-01).
        var (status, body) = await Post("2026-01", new
        {
            query = "{ shop { id name myshopifyDomain currencyCode ianaTimezone plan { publicDisplayName partnerDevelopment shopifyPlus } } }",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var shop = body.GetProperty("data").GetProperty("shop");
        Assert.Matches("^gid://shopify/Shop/[0-9]+$", shop.GetProperty("id").GetString());
        Assert.Equal("Demo Shop", shop.GetProperty("name").GetString());
        Assert.Equal("demo-shop.myshopify.com", shop.GetProperty("myshopifyDomain").GetString());
        Assert.Equal("USD", shop.GetProperty("currencyCode").GetString());
        Assert.Equal("UTC", shop.GetProperty("ianaTimezone").GetString());
        Assert.Equal("Basic", shop.GetProperty("plan").GetProperty("publicDisplayName").GetString());
        Assert.False(shop.GetProperty("plan").GetProperty("shopifyPlus").GetBoolean());
        Assert.True(body.GetProperty("extensions").TryGetProperty("cost", out _));
    }

    [Fact]
    public async Task A_bulk_query_returns_a_created_operation_and_the_cost_extension()
    {
        var (status, body) = await Post("2026-01", BulkOrders);
        Assert.Equal(HttpStatusCode.OK, status);
        var operation = body.GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation");
        Assert.StartsWith("gid://shopify/BulkOperation/", operation.GetProperty("id").GetString());
        Assert.Equal("CREATED", operation.GetProperty("status").GetString());
        var throttle = body.GetProperty("extensions").GetProperty("cost").GetProperty("throttleStatus");
        Assert.Equal(2000, throttle.GetProperty("maximumAvailable").GetDouble());
    }

    [Fact]
    public async Task Before_2026_01_a_second_bulk_query_is_refused_while_one_runs()
    {
        await Post("2025-10", BulkOrders);
        var (_, body) = await Post("2025-10", BulkOrders);
        var result = body.GetProperty("data").GetProperty("bulkOperationRunQuery");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("bulkOperation").ValueKind);
        Assert.Equal("OPERATION_IN_PROGRESS", result.GetProperty("userErrors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task From_2026_01_five_bulk_queries_run_at_once_and_a_sixth_is_refused()
    {
        for (var i = 0; i < 5; i++)
        {
            var (_, ok) = await Post("2026-01", BulkOrders);
            Assert.Equal(JsonValueKind.Object, ok.GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation").ValueKind);
        }
        var (_, body) = await Post("2026-01", BulkOrders);
        Assert.Equal("LIMIT_REACHED",
            body.GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("userErrors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_running_operation_is_read_by_id()
    {
        var (_, started) = await Post("2026-01", BulkOrders);
        var id = started.GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation").GetProperty("id").GetString();
        var (_, body) = await Post("2026-01",
            new { query = "query op($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount url } } }", variables = new { id } });
        var node = body.GetProperty("data").GetProperty("node");
        Assert.Equal(id, node.GetProperty("id").GetString());
        Assert.Contains(node.GetProperty("status").GetString(), new[] { "CREATED", "RUNNING" });
        Assert.Equal(JsonValueKind.Null, node.GetProperty("url").ValueKind);
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_token_without_one_scope_is_denied_that_root_only_with_the_scope_named()
    {
        using var sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("Sandbox:Shops:0:AccessToken", Token)
            .UseSetting("Sandbox:Shops:0:Failures:0", "ACCESS_DENIED:customers"));
        var client = sandbox.CreateClient();
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", Token);
        async Task<JsonElement> Run(string root) => await (await client.PostAsJsonAsync("/demo-shop.myshopify.com/admin/api/2026-01/graphql.json",
            new { query = RunQuery, variables = new { query = $"{{ {root} {{ edges {{ node {{ id }} }} }} }}" } })).Content.ReadFromJsonAsync<JsonElement>();

        var denied = await Run("customers");
        Assert.Equal("ACCESS_DENIED", denied.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("`read_customers`", denied.GetProperty("errors")[0].GetProperty("message").GetString());
        foreach (var root in new[] { "orders", "products", "inventoryItems" })
            Assert.Equal(JsonValueKind.Object,
                (await Run(root)).GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation").ValueKind);
    }
}
