using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// <c>POST /{shop}/admin/api/{version}/graphql.json</c>: the part of Shopify's GraphQL Admin API that bulk extraction
/// uses, with its authentication, cost extension, throttling and user errors.
/// </summary>
public static partial class GraphQlEndpoint
{
    private const double BulkMutationCost = 10;
    private const double NodeQueryCost = 1;
    public const string FirstVersionWithConcurrentBulkQueries = "2026-01";
    private const int ConcurrentBulkQueryLimit = 5;

    public static IEndpointRouteBuilder MapShopifyGraphQl(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{shop}/admin/api/{version}/graphql.json", Handle);
        app.MapGet("/bulk-results/{number:long}.jsonl", DownloadResult);
        return app;
    }

    private static async Task<IResult> Handle(
        string shop, string version, HttpContext http, DemoShops shops, SandboxBulkOperations operations, CostBucket bucket, FailureSwitches failures)
    {
        var settings = shops.Settings(shop);
        if (settings is null) return Results.NotFound(new { errors = "Not Found" });
        if (!http.Request.Headers.TryGetValue("X-Shopify-Access-Token", out var token) || token != settings.AccessToken)
            return Results.Json(new { errors = "[API] Invalid API key or access token (unrecognized login or wrong password)" }, statusCode: 401);

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

        if (failures.Trip(settings, FailureSwitches.Http503))
            return Results.Text("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: 503);

        var isBulkRun = query.Contains("bulkOperationRunQuery", StringComparison.Ordinal);
        var cost = isBulkRun ? BulkMutationCost : NodeQueryCost;
        var (granted, available) = bucket.TryTake(shop, cost);
        var extensions = CostExtension(cost, granted ? cost : 0, available);
        if (!granted || failures.Trip(settings, FailureSwitches.Throttled))
        {
            return Results.Json(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = "Throttled",
                    ["extensions"] = new JsonObject { ["code"] = "THROTTLED" },
                }),
                ["extensions"] = extensions,
            });
        }

        var demoShop = shops.Get(settings);
        JsonObject data;
        if (isBulkRun && FailureSwitches.DeniedScope(settings, BulkRoot(query, request.Variables)) is { } scope)
            return Results.Json(new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = $"Access denied for {BulkRoot(query, request.Variables)} field. Required access: `{scope}` access scope.",
                    ["extensions"] = new JsonObject { ["code"] = "ACCESS_DENIED", ["requiredAccess"] = $"`{scope}` access scope." },
                }),
                ["data"] = null,
                ["extensions"] = extensions,
            });
        if (isBulkRun && failures.Trip(settings, FailureSwitches.OperationInProgress))
            data = BulkRunResult(null, UserError(null, "A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/1.", "OPERATION_IN_PROGRESS"));
        else if (isBulkRun)
            data = RunBulkQuery(query, request.Variables, shop, version, operations);
        else if (query.Contains("node(", StringComparison.Ordinal) || query.Contains("bulkOperation(", StringComparison.Ordinal))
            data = ReadOperation(query, request.Variables, http, operations, demoShop, settings);
        else
            return Results.Json(new { errors = new[] { new { message = "The sandbox answers bulk operation queries only." } } }, statusCode: 400);

        return Results.Json(new JsonObject { ["data"] = data, ["extensions"] = extensions });
    }

    private static string? InnerQuery(string query, JsonObject? variables)
    {
        var inner = variables?.TryGetPropertyValue("query", out var value) == true ? value?.GetValue<string>() : null;
        return inner ?? (InlineBulkQuery().Match(query) is { Success: true } m ? Regex.Unescape(m.Groups[1].Value) : null);
    }

    private static string? BulkRoot(string query, JsonObject? variables) =>
        InnerQuery(query, variables) is { } inner && RootField().Match(inner) is { Success: true } root ? root.Groups[1].Value : null;

    private static JsonObject RunBulkQuery(string query, JsonObject? variables, string shop, string version, SandboxBulkOperations operations)
    {
        var inner = InnerQuery(query, variables);
        if (string.IsNullOrWhiteSpace(inner))
            return BulkRunResult(null, UserError("query", "Invalid bulk query: query is empty", "INVALID"));

        var root = RootField().Match(inner);
        if (!root.Success)
            return BulkRunResult(null, UserError("query", "Invalid bulk query: no connection field found", "INVALID"));

        var filter = new SearchFilter(Timestamp(UpdatedSince(), inner), Timestamp(CreatedFrom(), inner), Timestamp(CreatedBefore(), inner));
        var limit = string.CompareOrdinal(version, FirstVersionWithConcurrentBulkQueries) >= 0 ? ConcurrentBulkQueryLimit : 1;
        var operation = operations.TryStart(shop, inner, root.Groups[1].Value, filter, limit, out var blocking);
        if (operation is null)
        {
            return limit == 1
                ? BulkRunResult(null, UserError(null, $"A bulk query operation for this app and shop is already in progress: {blocking!.Id}.", "OPERATION_IN_PROGRESS"))
                : BulkRunResult(null, UserError(null, $"The maximum number of concurrent bulk query operations ({limit}) for this app and shop has been reached.", "LIMIT_REACHED"));
        }
        return BulkRunResult(new JsonObject { ["id"] = operation.Id, ["status"] = "CREATED" });
    }

    private static DateTimeOffset? Timestamp(Regex pattern, string query) =>
        pattern.Match(query) is { Success: true } match && DateTimeOffset.TryParse(match.Groups[1].Value, out var parsed) ? parsed.ToUniversalTime() : null;

    private static JsonObject ReadOperation(string query, JsonObject? variables, HttpContext http, SandboxBulkOperations operations, DemoShop shop, SandboxShop settings)
    {
        var id = variables?.TryGetPropertyValue("id", out var value) == true ? value?.GetValue<string>() : null;
        id ??= InlineId().Match(query) is { Success: true } m ? m.Groups[1].Value : null;
        var field = NodeField().IsMatch(query) ? "node" : "bulkOperation";
        if (id is null || !id.StartsWith("gid://shopify/BulkOperation/", StringComparison.Ordinal)
            || !long.TryParse(id["gid://shopify/BulkOperation/".Length..], out var number)
            || operations.Find(number) is not { } operation || operation.ShopDomain != shop.Domain)
            return new JsonObject { [field] = null };

        var status = operations.StatusOf(operation);
        var completed = status == "COMPLETED";
        var objectCount = completed ? operations.ObjectCount(operation, shop) : 0;
        var resultUrl = $"{http.Request.Scheme}://{http.Request.Host}/bulk-results/{operation.Number}.jsonl";
        var url = completed && objectCount > 0 ? resultUrl : null;
        string? partialDataUrl = null, errorCode = null;
        if (completed && FailureSwitches.Has(settings, FailureSwitches.FailedPartial))
        {
            (status, errorCode, url, partialDataUrl) = ("FAILED", "INTERNAL_SERVER_ERROR", null, resultUrl + "?partial=true");
            objectCount /= 2;
        }
        else if (completed && FailureSwitches.Has(settings, FailureSwitches.Expired))
        {
            (status, url, objectCount) = ("EXPIRED", null, 0);
        }
        return new JsonObject
        {
            [field] = new JsonObject
            {
                ["__typename"] = "BulkOperation",
                ["id"] = operation.Id,
                ["status"] = status,
                ["errorCode"] = errorCode,
                ["createdAt"] = operation.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["completedAt"] = operations.CompletedAt(operation)?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["objectCount"] = objectCount.ToString(),
                ["rootObjectCount"] = (completed ? operations.RootObjectCount(operation, shop) : 0).ToString(),
                ["fileSize"] = null,
                ["url"] = url,
                ["partialDataUrl"] = partialDataUrl,
                ["query"] = operation.Query,
                ["type"] = "QUERY",
            },
        };
    }

    private static async Task DownloadResult(long number, bool? partial, HttpContext http, SandboxBulkOperations operations, DemoShops shops)
    {
        if (operations.Find(number) is not { } operation || shops.Settings(operation.ShopDomain) is not { } settings)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        http.Response.ContentType = "application/jsonl";
        await SandboxBulkOperations.WriteResult(operation, shops.Get(settings), partial == true, http.Response.Body,
            unchecked(settings.Seed * 31 + (int)number), http.RequestAborted);
    }

    private static JsonObject BulkRunResult(JsonObject? operation, JsonObject? userError = null) => new()
    {
        ["bulkOperationRunQuery"] = new JsonObject
        {
            ["bulkOperation"] = operation,
            ["userErrors"] = userError is null ? new JsonArray() : new JsonArray(userError),
        },
    };

    private static JsonObject UserError(string? field, string message, string code) => new()
    {
        ["field"] = field is null ? null : new JsonArray(field),
        ["message"] = message,
        ["code"] = code,
    };

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

    private sealed record GraphQlRequest(string? Query, JsonObject? Variables);

    [GeneratedRegex("""query\s*:\s*"((?:[^"\\]|\\.)*)"\s*\)""", RegexOptions.Singleline)]
    private static partial Regex InlineBulkQuery();

    [GeneratedRegex("""^\s*(?:query\s*)?\{\s*(orders|products|inventoryItems|customers)\b""")]
    private static partial Regex RootField();

    [GeneratedRegex("""updated_at\s*:\s*>=\s*['"]?([0-9T:\-\.Z+]+)""")]
    private static partial Regex UpdatedSince();

    [GeneratedRegex("""created_at\s*:\s*>=\s*['"]?([0-9T:\-\.Z+]+)""")]
    private static partial Regex CreatedFrom();

    [GeneratedRegex("""created_at\s*:\s*<\s*['"]?([0-9T:\-\.Z+]+)""")]
    private static partial Regex CreatedBefore();

    [GeneratedRegex("""\bnode\s*\(""")]
    private static partial Regex NodeField();

    [GeneratedRegex("""id\s*:\s*"(gid://shopify/BulkOperation/\d+)"\s*\)""")]
    private static partial Regex InlineId();
}
