using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.Shopify.GraphQl;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// <c>POST /{shop}/admin/api/{version}/graphql.json</c>: Shopify's GraphQL Admin API over the demo shops, as a GraphQL
/// server: each request is parsed, validated against the schema of its version (<see cref="AdminSchema"/>), costed
/// and paced by the shop's leaky bucket (<see cref="CostBucket"/>), then answered with exactly the fields it selects.
/// Static errors are answered as Shopify answers them: HTTP 200, <c>errors</c> and no <c>data</c>.
/// </summary>
public static class GraphQlEndpoint
{
    public static IEndpointRouteBuilder MapShopifyGraphQl(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{shop}/admin/api/{version}/graphql.json", Handle);
        app.MapGet("/bulk-results/{number:long}.jsonl", DownloadResult);
        return app;
    }

    private static async Task<IResult> Handle(string shop, string version, HttpContext http, SandboxShopify sandbox, CostBucket bucket)
    {
        var settings = sandbox.Shops.Settings(shop);
        if (settings is null) return Results.NotFound(new { errors = "Not Found" });
        // A token the merchant revoked by uninstalling the app is refused as any wrong token is.
        if (!http.Request.Headers.TryGetValue("X-Shopify-Access-Token", out var token) || token != settings.AccessToken
            || sandbox.Installations.IsUninstalled(shop))
            return Results.Json(new { errors = "[API] Invalid API key or access token (unrecognized login or wrong password)" }, statusCode: 401);
        http.Response.Headers["X-Shopify-API-Version"] = version;

        GraphQlRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<GraphQlRequest>(http.Request.Body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return Results.Json(new { errors = new[] { new { message = "Invalid JSON in request body" } } }, statusCode: 400);
        }
        if (request?.Query is not { Length: > 0 } query)
            return Results.Json(new { errors = new[] { new { message = "No query string was present" } } }, statusCode: 400);

        var admin = new ShopifyAdmin(sandbox, settings, version, $"{http.Request.Scheme}://{http.Request.Host}");
        PreparedOperation operation;
        try
        {
            operation = PreparedOperation.Prepare(admin.Schema, query, request.OperationName, request.Variables);
        }
        catch (GraphQlRequestException exception)
        {
            return Results.Json(new JsonObject { ["errors"] = Errors(exception.Errors) });
        }

        // A shop's failures play on the requests of its syncs, not on the Connector's webhook subscription at start.
        var failing = !operation.Operation.SelectionSet.Selections
            .All(s => s is GraphQLParser.AST.GraphQLField { Name.StringValue: "webhookSubscriptionCreate" });
        if (failing && sandbox.Failures.Trip(settings, FailureSwitches.Http503))
            return Results.Text("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: 503);

        var cost = QueryCost.Requested(operation);
        if (cost > QueryCost.MaxSingleQueryCost)
        {
            var (_, left) = bucket.TryTake(shop, 0);
            return Results.Json(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = $"Query cost is {cost}, which exceeds the single query max cost limit ({QueryCost.MaxSingleQueryCost}).",
                    ["extensions"] = new JsonObject
                    {
                        ["code"] = "MAX_COST_EXCEEDED",
                        ["cost"] = cost,
                        ["maxCost"] = QueryCost.MaxSingleQueryCost,
                        ["documentation"] = "https://shopify.dev/api/usage/rate-limits",
                    },
                }),
                ["extensions"] = CostExtension(cost, 0, left),
            });
        }
        var (granted, available) = bucket.TryTake(shop, cost);
        if (!granted || failing && sandbox.Failures.Trip(settings, FailureSwitches.Throttled))
        {
            return Results.Json(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = "Throttled",
                    ["extensions"] = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = "https://shopify.dev/api/usage/rate-limits" },
                }),
                ["extensions"] = CostExtension(cost, 0, available),
            });
        }

        var writer = new SelectionWriter(operation, new AdminResolver(admin.Shop));
        var buffer = new ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer))
            writer.WriteObject(json, operation.RootType, admin, [operation.Operation.SelectionSet], []);
        var answer = new JsonObject();
        if (writer.Errors.Count > 0) answer["errors"] = Errors(writer.Errors);
        answer["data"] = JsonNode.Parse(buffer.WrittenSpan);
        answer["extensions"] = CostExtension(cost, cost, available);
        return Results.Json(answer);
    }

    private static JsonArray Errors(IEnumerable<GraphQlError> errors) => new(errors.Select(e => (JsonNode)e.ToJson()).ToArray());

    private static async Task DownloadResult(long number, bool? partial, HttpContext http, SandboxShopify sandbox)
    {
        if (sandbox.Operations.Find(number) is not { } operation || sandbox.Shops.Settings(operation.ShopDomain) is not { } settings)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = "application/jsonl";
        await sandbox.Results.Write(operation, settings, sandbox.Shops.Get(settings), http.Response.Body, partial == true, http.RequestAborted);
    }

    private static JsonObject CostExtension(double requested, double actual, double available) => new()
    {
        ["cost"] = new JsonObject
        {
            ["requestedQueryCost"] = requested,
            ["actualQueryCost"] = actual,
            ["throttleStatus"] = new JsonObject
            {
                ["maximumAvailable"] = CostBucket.MaximumAvailable,
                ["currentlyAvailable"] = Math.Floor(available),
                ["restoreRate"] = CostBucket.RestoreRate,
            },
        },
    };

    private sealed record GraphQlRequest(string? Query, string? OperationName, JsonObject? Variables);
}
