using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox held to the fixtures the Connector is tested on (tests/GrowthOs.Connector.Tests/Fixtures, each naming
/// where its shape comes from): for each, the request Shopify answered that way is sent to the Sandbox, and every field
/// of the fixture must be in the Sandbox's answer with the same JSON type. A null on either side stands for a
/// nullable field; values (ids, costs, messages' numbers) may differ.
/// </summary>
public sealed class FixtureShapeTests : IDisposable
{
    private const string Token = "shpat_sandbox_fixture_token";
    private const string RunQuery = "mutation bulkOperationRunQuery($query: String!) { bulkOperationRunQuery(query: $query) "
        + "{ bulkOperation { id status } userErrors { field message code } } }";
    private const string OperationQuery = "query bulkOperation($id: ID!) { node(id: $id) { ... on BulkOperation "
        + "{ id status errorCode objectCount rootObjectCount fileSize url partialDataUrl } } }";
    private readonly SandboxHosts _sandbox = new();

    private HttpClient Sandbox(int durationMilliseconds = 0, string? failure = null, string version = "2026-01")
    {
        var client = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:BulkOperationDurationMilliseconds"] = durationMilliseconds.ToString(),
            ["Sandbox:Shops:0:AccessToken"] = Token,
            ["Sandbox:Shops:0:Failures:0"] = failure,
        });
        client.BaseAddress = new Uri(client.BaseAddress!, $"/demo-shop.myshopify.com/admin/api/{version}/");
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", Token);
        return client;
    }

    private static async Task<JsonElement> Post(HttpClient client, string query, object? variables = null) =>
        await (await client.PostAsJsonAsync("graphql.json", new { query, variables })).Content.ReadFromJsonAsync<JsonElement>();

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name))).RootElement;

    private static async Task<string> StartedOperation(HttpClient client) =>
        (await Post(client, RunQuery, new { query = "{ orders { edges { node { id } } } }" }))
        .GetProperty("data").GetProperty("bulkOperationRunQuery").GetProperty("bulkOperation").GetProperty("id").GetString()!;

    [Fact]
    public async Task A_started_bulk_query() =>
        JsonShape.Assert(Fixture("bulk_operation_run_query.json"), await Post(Sandbox(), RunQuery, new { query = "{ orders { edges { node { id } } } }" }));

    [Fact]
    public async Task A_completed_bulk_operation()
    {
        var client = Sandbox();
        JsonShape.Assert(Fixture("bulk_operation_completed.json"), await Post(client, OperationQuery, new { id = await StartedOperation(client) }));
    }

    [Fact]
    public async Task A_bulk_query_already_in_progress()
    {
        var client = Sandbox(durationMilliseconds: 60_000, version: "2025-10");
        await StartedOperation(client);
        JsonShape.Assert(Fixture("bulk_operation_in_progress.json"), await Post(client, RunQuery, new { query = "{ orders { edges { node { id } } } }" }));
    }

    [Fact]
    public async Task A_bulk_query_over_the_connection_limit() =>
        JsonShape.Assert(Fixture("bulk_query_too_many_connections.json"), await Post(Sandbox(), RunQuery, new
        {
            query = "{ orders { edges { node { id } } } products { edges { node { id } } } customers { edges { node { id } } } "
                    + "inventoryItems { edges { node { id } } } p2: products { edges { node { id } } } c2: customers { edges { node { id } } } }",
        }));

    [Fact]
    public async Task A_throttled_request() =>
        JsonShape.Assert(Fixture("throttled.json"),
            await Post(Sandbox(failure: "THROTTLED:1"), RunQuery, new { query = "{ orders { edges { node { id } } } }" }));

    [Fact]
    public async Task A_query_over_the_cost_limit() =>
        JsonShape.Assert(Fixture("max_cost_exceeded.json"),
            await Post(Sandbox(), "{ orders(first: 250) { edges { node { id lineItems(first: 10) { edges { node { id } } } } } } }"));

    [Fact]
    public async Task A_missing_scope() =>
        JsonShape.Assert(Fixture("access_denied.json"),
            await Post(Sandbox(failure: "ACCESS_DENIED"), RunQuery, new { query = "{ orders { edges { node { id } } } }" }));

    [Fact]
    public async Task An_unknown_field() =>
        JsonShape.Assert(Fixture("undefined_field.json"), await Post(Sandbox(), """
            query GraphqlBaseValidationUnknownOrderField {
              orders(first: 1) {
                nodes {
                  id
                  definitelyNotAnOrderField
                }
              }
            }
            """));

    [Fact]
    public async Task A_syntax_error() =>
        JsonShape.Assert(Fixture("parse_error.json"), await Post(Sandbox(), "query X {\n  shop {\n    id\n"));

    [Fact]
    public async Task A_cancel()
    {
        var client = Sandbox(durationMilliseconds: 60_000);
        JsonShape.Assert(Fixture("bulk_operation_cancel.json"), await Post(client,
            "mutation bulkOperationCancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }",
            new { id = await StartedOperation(client) }));
    }

    [Fact]
    public async Task The_running_operations()
    {
        var client = Sandbox(durationMilliseconds: 60_000);
        await StartedOperation(client);
        JsonShape.Assert(Fixture("bulk_operations_running.json"), await Post(client,
            "query { bulkOperations(first: 10, sortKey: CREATED_AT, reverse: true, query: \"operation_type:query\") { nodes { id status query } } }"));
    }

    [Fact]
    public async Task A_webhook_subscription_and_the_same_address_again()
    {
        var client = Sandbox();
        const string Subscribe = "mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) "
            + "{ webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) "
            + "{ webhookSubscription { id } userErrors { field message } } }";
        var variables = new
        {
            topic = "BULK_OPERATIONS_FINISH", webhookSubscription = new { uri = "https://growth.example.com/webhooks/shopify", format = "JSON" },
        };
        JsonShape.Assert(Fixture("webhook_subscription_create.json"), await Post(client, Subscribe, variables));
        var again = await Post(client, Subscribe, variables);
        JsonShape.Assert(Fixture("webhook_address_taken.json"), again);
        Assert.Equal("Address for this topic has already been taken",
            again.GetProperty("data").GetProperty("webhookSubscriptionCreate").GetProperty("userErrors")[0].GetProperty("message").GetString());
    }

    public void Dispose() => _sandbox.Dispose();
}

/// <summary>Holds an answer to a fixture's shape: its fields, their nesting and their JSON types.</summary>
public static class JsonShape
{
    /// <summary>Every field of <paramref name="expected"/> is in <paramref name="actual"/>, of the same JSON type.</summary>
    public static void Assert(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind == JsonValueKind.Null || actual.ValueKind == JsonValueKind.Null) return;
        Xunit.Assert.True(Kind(expected) == Kind(actual), $"{path}: the fixture has a {expected.ValueKind}, the Sandbox a {actual.ValueKind}: {actual}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    Xunit.Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}: the Sandbox's answer has no '{property.Name}': {actual}");
                    Assert(property.Value, value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array when expected.GetArrayLength() > 0:
                Xunit.Assert.True(actual.GetArrayLength() > 0, $"{path}: the fixture's array has items, the Sandbox's none");
                Assert(expected[0], actual[0], $"{path}[0]");
                break;
        }
    }

    private static JsonValueKind Kind(JsonElement element) =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : element.ValueKind;

}
