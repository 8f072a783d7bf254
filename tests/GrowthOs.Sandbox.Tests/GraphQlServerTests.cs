using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox as a GraphQL server: requests parsed and checked against the Admin API schema, answers holding exactly
/// the fields selected, bulk queries refused by Shopify's rules and with Shopify's messages (recorded from Shopify in
/// public captures; see Fixtures/SOURCES.md of the Connector's tests), costs by Shopify's rules.
/// </summary>
public sealed class GraphQlServerTests : IDisposable
{
    private const string Token = "shpat_sandbox_test_token";
    private const string RunQuery =
        "mutation run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }";
    private readonly SandboxHosts _sandbox = new();

    private HttpClient Sandbox(int durationMilliseconds = 0, string? stateDirectory = null)
    {
        var client = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:BulkOperationDurationMilliseconds"] = durationMilliseconds.ToString(),
            ["Sandbox:Shops:0:AccessToken"] = Token,
            ["Sandbox:StateDirectory"] = stateDirectory,
        });
        client.DefaultRequestHeaders.Add("X-Shopify-Access-Token", Token);
        return client;
    }

    private static async Task<JsonElement> Post(HttpClient client, string query, object? variables = null, string version = "2026-01")
    {
        var response = await client.PostAsJsonAsync($"/demo-shop.myshopify.com/admin/api/{version}/graphql.json", new { query, variables });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<JsonElement> RunBulk(HttpClient client, string bulkQuery, string version = "2026-01") =>
        Post(client, RunQuery, new { query = bulkQuery }, version);

    private static JsonElement RunResult(JsonElement body) => body.GetProperty("data").GetProperty("bulkOperationRunQuery");

    private static string[] Keys(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task Shopifys_documented_bulk_query_written_as_a_block_string_starts_an_operation()
    {
        // shopify.dev/docs/api/usage/bulk-operations/queries, "Submit a bulk query": the query inline, as a block string.
        var body = await Post(Sandbox(), "mutation {\n  bulkOperationRunQuery(\n   query: \"\"\"\n    {\n      products {\n        edges {\n          node {\n"
            + "            id\n            title\n          }\n        }\n      }\n    }\n    \"\"\"\n  ) {\n    bulkOperation {\n      id\n      status\n"
            + "    }\n    userErrors {\n      field\n      message\n    }\n  }\n}");
        var result = RunResult(body);
        Assert.Equal(0, result.GetProperty("userErrors").GetArrayLength());
        Assert.StartsWith("gid://shopify/BulkOperation/", result.GetProperty("bulkOperation").GetProperty("id").GetString());
        Assert.Equal(10, body.GetProperty("extensions").GetProperty("cost").GetProperty("requestedQueryCost").GetInt32());
    }

    [Fact]
    public async Task An_unknown_field_gets_shopifys_undefinedField_error_and_no_data()
    {
        var body = await Post(Sandbox(), "query Orders { orders(first: 1) { nodes { id definitelyNotAnOrderField } } }");
        Assert.False(body.TryGetProperty("data", out _));
        var error = body.GetProperty("errors")[0];
        Assert.Equal("Field 'definitelyNotAnOrderField' doesn't exist on type 'Order'", error.GetProperty("message").GetString());
        Assert.Equal(["query Orders", "orders", "nodes", "definitelyNotAnOrderField"],
            error.GetProperty("path").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.Equal("undefinedField", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("Order", error.GetProperty("extensions").GetProperty("typeName").GetString());
        Assert.Equal(1, error.GetProperty("locations")[0].GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task An_unknown_argument_a_missing_one_and_a_selection_on_a_scalar_are_each_named()
    {
        var client = Sandbox();
        var unknown = (await Post(client, "{ orders(first: 1, filters: \"x\") { nodes { id } } }")).GetProperty("errors")[0];
        Assert.Equal("Field 'orders' doesn't accept argument 'filters'", unknown.GetProperty("message").GetString());
        Assert.Equal("argumentNotAccepted", unknown.GetProperty("extensions").GetProperty("code").GetString());

        var missing = (await Post(client, "{ node { id } }")).GetProperty("errors")[0];
        Assert.Equal("Field 'node' is missing required arguments: id", missing.GetProperty("message").GetString());

        var scalar = (await Post(client, "{ orders(first: 1) { nodes { id { value } } } }")).GetProperty("errors")[0];
        Assert.Equal("Selections can't be made on scalars (field 'id' returns ID! but has selections [\"value\"])", scalar.GetProperty("message").GetString());

        var bare = (await Post(client, "{ orders(first: 1) { nodes { customer } } }")).GetProperty("errors")[0];
        Assert.Equal("Field must have selections (field 'customer' returns Customer but has no selections. Did you mean 'customer { ... }'?)",
            bare.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Syntax_errors_and_missing_variables_are_refused_as_shopify_refuses_them()
    {
        var client = Sandbox();
        var syntax = (await Post(client, "query X {\n  shop {\n    id\n")).GetProperty("errors")[0];
        Assert.StartsWith("syntax error, unexpected end of file", syntax.GetProperty("message").GetString());
        Assert.Equal("PARSE_ERROR", syntax.GetProperty("extensions").GetProperty("code").GetString());

        var variable = (await Post(client, RunQuery)).GetProperty("errors")[0];
        Assert.Equal("Variable $query of type String! was provided invalid value", variable.GetProperty("message").GetString());
        Assert.Equal("INVALID_VARIABLE", variable.GetProperty("extensions").GetProperty("code").GetString());

        var id = (await Post(client, "query op($id: ID!) { node(id: $id) { id } }", new { id = "not-a-shopify-gid" })).GetProperty("errors")[0];
        Assert.Equal("Invalid global id 'not-a-shopify-gid'", id.GetProperty("extensions").GetProperty("problems")[0].GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task Fragments_inline_fragments_aliases_and_typename_answer_exactly_what_was_selected()
    {
        var client = Sandbox();
        var body = await Post(client, """
            query Page($count: Int!) {
              first: orders(first: $count, sortKey: CREATED_AT) { edges { cursor node { ...Money kind: __typename } } pageInfo { hasNextPage endCursor } }
            }
            fragment Money on Order { ref: name totalPriceSet { shopMoney { amount } } ... on Node { id } }
            """, new { count = 2 });
        var page = body.GetProperty("data").GetProperty("first");
        var node = page.GetProperty("edges")[0].GetProperty("node");
        Assert.Equal(["ref", "totalPriceSet", "id", "kind"], Keys(node));
        Assert.Equal("Order", node.GetProperty("kind").GetString());
        Assert.Equal(["amount"], Keys(node.GetProperty("totalPriceSet").GetProperty("shopMoney")));
        Assert.Equal(2, page.GetProperty("edges").GetArrayLength());
        Assert.True(page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        var next = await Post(client, "query($after: String) { orders(first: 2, after: $after) { nodes { name } } }",
            new { after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString() });
        var names = next.GetProperty("data").GetProperty("orders").GetProperty("nodes").EnumerateArray()
            .Select(n => n.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["#1003", "#1004"], names);
    }

    [Fact]
    public async Task A_bulk_file_holds_exactly_the_selected_fields_and_fileSize_counts_its_bytes()
    {
        var client = Sandbox();
        var id = RunResult(await RunBulk(client, "{ products { edges { node { id title } } } }")).GetProperty("bulkOperation").GetProperty("id").GetString();
        var operation = (await Post(client, "query($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount fileSize url } }", new { id }))
            .GetProperty("data").GetProperty("bulkOperation");
        Assert.Equal("COMPLETED", operation.GetProperty("status").GetString());

        var file = await client.GetByteArrayAsync(new Uri(operation.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(file.Length.ToString(), operation.GetProperty("fileSize").GetString());
        var lines = System.Text.Encoding.UTF8.GetString(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(lines.Length.ToString(), operation.GetProperty("objectCount").GetString());
        Assert.Equal(operation.GetProperty("rootObjectCount").GetString(), operation.GetProperty("objectCount").GetString());
        Assert.All(lines, line => Assert.Equal(["id", "title"], Keys(JsonDocument.Parse(line).RootElement)));
    }

    [Fact]
    public async Task Nested_connections_become_their_own_lines_pointing_at_their_parent()
    {
        var client = Sandbox();
        var id = RunResult(await RunBulk(client, "{ products { edges { node { id variants { edges { node { __typename sku } } } } } } }"))
            .GetProperty("bulkOperation").GetProperty("id").GetString();
        var url = (await Post(client, "query($id: ID!) { node(id: $id) { ... on BulkOperation { url } } }", new { id }))
            .GetProperty("data").GetProperty("node").GetProperty("url").GetString();
        var lines = (await client.GetStringAsync(new Uri(url!).PathAndQuery)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var products = lines.Where(l => !l.TryGetProperty("__parentId", out _)).ToList();
        var variants = lines.Where(l => l.TryGetProperty("__parentId", out _)).ToList();
        Assert.All(products, p => Assert.Equal(["id"], Keys(p)));
        Assert.All(variants, v => Assert.Equal(["__typename", "sku", "__parentId"], Keys(v)));
        var productIds = products.Select(p => p.GetProperty("id").GetString()).ToHashSet();
        Assert.All(variants, v => Assert.Contains(v.GetProperty("__parentId").GetString(), productIds));
    }

    [Theory]
    [InlineData("{ orders { edges { node { id foo } } } }", "Invalid bulk query: Field 'foo' doesn't exist on type 'Order'")]
    [InlineData("{ orders { edges { node { id } } } products { edges { node { id } } } customers { edges { node { id } } } "
                + "inventoryItems { edges { node { id } } } p2: products { edges { node { id } } } c2: customers { edges { node { id } } } }",
        "Bulk queries cannot contain more than 5 connections.")]
    [InlineData("{ products { edges { node { id variants { edges { node { id inventoryItem { id inventoryLevels { edges { node { id } } } } } } } } } } }",
        "Bulk queries cannot contain connections with a nesting depth greater than 2.")]
    [InlineData("{ orders { edges { node { name lineItems { edges { node { id } } } } } } }",
        "The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. "
        + "Connection fields without 'id': lineItems.")]
    [InlineData("{ products { nodes { id } } }", "Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.")]
    [InlineData("{ node(id: \"gid://shopify/Order/1\") { id } }", "Bulk queries cannot contain a top level `node` field.")]
    [InlineData("mutation { bulkOperationCancel(id: \"gid://shopify/BulkOperation/1\") { userErrors { message } } }",
        "Invalid operation type. Only `query` operations are supported.")]
    [InlineData("", "Invalid bulk query: syntax error, unexpected end of file")]
    public async Task A_bulk_query_shopify_would_refuse_is_refused_with_its_message(string bulkQuery, string message)
    {
        var result = RunResult(await RunBulk(Sandbox(), bulkQuery));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("bulkOperation").ValueKind);
        var errors = result.GetProperty("userErrors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("message").GetString()!.Contains(message));
        Assert.All(errors, e => Assert.Equal("INVALID", e.GetProperty("code").GetString()));
        Assert.All(errors, e => Assert.Equal("query", e.GetProperty("field")[0].GetString()));
    }

    [Fact]
    public async Task Operations_are_read_by_id_listed_by_status_and_the_current_one_answers_in_every_version()
    {
        var client = Sandbox(durationMilliseconds: 60_000);
        var id = RunResult(await RunBulk(client, "{ orders { edges { node { id } } } }")).GetProperty("bulkOperation").GetProperty("id").GetString();

        var listed = await Post(client, "{ bulkOperations(first: 10, query: \"status:created\") { nodes { id status query } } }");
        Assert.Equal(id, listed.GetProperty("data").GetProperty("bulkOperations").GetProperty("nodes")[0].GetProperty("id").GetString());
        var current = await Post(client, "{ currentBulkOperation { id } }", version: "2025-10");
        Assert.Equal(id, current.GetProperty("data").GetProperty("currentBulkOperation").GetProperty("id").GetString());

        var before = (await Post(client, "{ bulkOperations(first: 1) { nodes { id } } }", version: "2025-10")).GetProperty("errors")[0];
        Assert.Equal("Field 'bulkOperations' doesn't exist on type 'QueryRoot'", before.GetProperty("message").GetString());
        var unknown = await Post(client, "{ bulkOperation(id: \"gid://shopify/BulkOperation/1\") { id } }");
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("data").GetProperty("bulkOperation").ValueKind);
    }

    [Fact]
    public async Task A_running_operation_is_canceled_and_a_finished_one_cannot_be()
    {
        var client = Sandbox(durationMilliseconds: 60_000);
        var id = RunResult(await RunBulk(client, "{ orders { edges { node { id } } } }")).GetProperty("bulkOperation").GetProperty("id").GetString();
        const string Cancel = "mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }";

        var canceling = (await Post(client, Cancel, new { id })).GetProperty("data").GetProperty("bulkOperationCancel");
        Assert.Equal("CANCELING", canceling.GetProperty("bulkOperation").GetProperty("status").GetString());
        await Task.Delay(700);
        var status = (await Post(client, "query($id: ID!) { node(id: $id) { ... on BulkOperation { status completedAt } } }", new { id }))
            .GetProperty("data").GetProperty("node");
        Assert.Equal("CANCELED", status.GetProperty("status").GetString());
        // The slot is free again: a second operation starts even before 2026-01's concurrent limit would matter.
        Assert.Equal(0,
            RunResult(await RunBulk(client, "{ orders { edges { node { id } } } }", version: "2025-10")).GetProperty("userErrors").GetArrayLength());

        var again = (await Post(client, Cancel, new { id })).GetProperty("data").GetProperty("bulkOperationCancel");
        Assert.Equal("A bulk operation cannot be canceled when it is canceled", again.GetProperty("userErrors")[0].GetProperty("message").GetString());
        var missing = (await Post(client, Cancel, new { id = "gid://shopify/BulkOperation/1" })).GetProperty("data").GetProperty("bulkOperationCancel");
        Assert.Equal("Bulk operation does not exist", missing.GetProperty("userErrors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cost_follows_shopifys_rules_and_a_query_over_1000_points_is_refused_before_it_runs()
    {
        var client = Sandbox();
        // A connection costs 2 plus its page size times each node: 2 + 50 × (1 + (2 + 10 × 1)) = 652.
        var body = await Post(client, "{ orders(first: 50) { edges { node { id lineItems(first: 10) { edges { node { id } } } } } } }");
        var cost = body.GetProperty("extensions").GetProperty("cost");
        Assert.Equal(652, cost.GetProperty("requestedQueryCost").GetInt32());
        Assert.Equal(2000 - 652, cost.GetProperty("throttleStatus").GetProperty("currentlyAvailable").GetDouble(), 5);

        var refused = await Post(client, "{ orders(first: 250) { edges { node { id lineItems(first: 10) { edges { node { id } } } } } } }");
        Assert.False(refused.TryGetProperty("data", out _));
        var error = refused.GetProperty("errors")[0];
        Assert.Equal("Query cost is 3252, which exceeds the single query max cost limit (1000).", error.GetProperty("message").GetString());
        Assert.Equal("MAX_COST_EXCEEDED", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Operations_outlive_a_restart_of_the_sandbox()
    {
        var state = Directory.CreateTempSubdirectory("sandbox-state-").FullName;
        try
        {
            var id = RunResult(await RunBulk(Sandbox(stateDirectory: state), "{ customers { edges { node { id state } } } }"))
                .GetProperty("bulkOperation").GetProperty("id").GetString();
            var restarted = Sandbox(stateDirectory: state);
            var operation = (await Post(restarted, "query($id: ID!) { bulkOperation(id: $id) { id status objectCount url } }", new { id }))
                .GetProperty("data").GetProperty("bulkOperation");
            Assert.Equal(id, operation.GetProperty("id").GetString());
            Assert.Equal("COMPLETED", operation.GetProperty("status").GetString());
            var lines = (await restarted.GetStringAsync(new Uri(operation.GetProperty("url").GetString()!).PathAndQuery))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(operation.GetProperty("objectCount").GetString(), lines.Length.ToString());
            var next = RunResult(await RunBulk(restarted, "{ customers { edges { node { id } } } }")).GetProperty("bulkOperation").GetProperty("id")
                .GetString();
            Assert.True(long.Parse(next!.Split('/')[^1]) > long.Parse(id!.Split('/')[^1]), "a restarted Sandbox must not reuse an operation's number");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    public void Dispose() => _sandbox.Dispose();
}
