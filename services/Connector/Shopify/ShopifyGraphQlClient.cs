using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Shopify;

/// <summary>
/// Shopify's GraphQL Admin API, for bulk operations. Every call is logged with shop, operation, HTTP status, duration
/// and query cost; the access token goes in its header only and never into a log line or an exception.
/// </summary>
public sealed class ShopifyGraphQlClient(HttpClient http, IOptions<ShopifyOptions> options, ThrottleGate throttle, ILogger<ShopifyGraphQlClient> logger,
    TimeProvider? clock = null, IShopifyTokens? tokens = null)
{
    /// <summary>What each request is expected to cost, so it can wait for the points before it is sent.</summary>
    private const double RunQueryCost = 10;
    private const double OperationQueryCost = 1;
    /// <summary>Ten recent operations (twice Shopify's concurrent limit) cost 2 + 10 points.</summary>
    private const double RecentOperationsCost = 12;

    /// <summary>The version that lists bulk operations (<c>bulkOperations</c>) and deprecates <c>currentBulkOperation</c>.</summary>
    public const string FirstVersionListingBulkOperations = "2026-01";

    /// <summary>The source this client's calls are counted under (<see cref="GrowthOsMetrics.ApiCalls"/>).</summary>
    private const string Source = "shopify";

    private DateTimeOffset Now => (clock ?? TimeProvider.System).GetUtcNow();

    private const string RunQueryMutation = """
        mutation bulkOperationRunQuery($query: String!) {
          bulkOperationRunQuery(query: $query) {
            bulkOperation { id status }
            userErrors { field message code }
          }
        }
        """;

    private const string OperationQuery = """
        query bulkOperation($id: ID!) {
          node(id: $id) {
            ... on BulkOperation {
              id status errorCode objectCount rootObjectCount fileSize url partialDataUrl
            }
          }
        }
        """;

    private const string ShopQuery = """
        query shop {
          shop { name myshopifyDomain currencyCode ianaTimezone plan { publicDisplayName } }
        }
        """;

    /// <summary>
    /// What the shop says of itself, asked with <paramref name="accessToken"/> (a token being connected, before it is
    /// stored): its name, currency, IANA time zone and plan.
    /// </summary>
    public async Task<ShopInfo> ReadShop(string shop, string accessToken, CancellationToken cancellationToken)
    {
        var data = await Execute(shop, "shop", ShopQuery, new JsonObject(), OperationQueryCost, cancellationToken, accessToken);
        var node = data["shop"] as JsonObject ?? throw Malformed("shop");
        return new ShopInfo(
            Text(node["name"], "shop.name") ?? throw Malformed("shop.name"),
            Text(node["myshopifyDomain"], "shop.myshopifyDomain"),
            Text(node["currencyCode"], "shop.currencyCode") ?? throw Malformed("shop.currencyCode"),
            Text(node["ianaTimezone"], "shop.ianaTimezone") ?? throw Malformed("shop.ianaTimezone"),
            Text(node["plan"]?["publicDisplayName"], "shop.plan.publicDisplayName"));
    }

    private const string RecentOperationsQuery = """
        query recentBulkOperations {
          bulkOperations(first: 10, sortKey: CREATED_AT, reverse: true, query: "operation_type:query") {
            nodes { id status query }
          }
        }
        """;

    private const string CurrentOperationQuery = """
        query currentBulkOperation {
          currentBulkOperation(type: QUERY) { id status query }
        }
        """;

    /// <summary>
    /// The id of a bulk operation that Shopify is running for exactly <paramref name="bulkQuery"/>, or null. Asked
    /// before a start, so that a start whose answer was lost (a timeout, a crash before the answer was recorded, a
    /// redelivered message) is adopted rather than run twice. From 2026-01 the recent operations are listed; before,
    /// the current one is read.
    /// </summary>
    public async Task<string?> FindRunningBulkQuery(string shop, string bulkQuery, CancellationToken cancellationToken)
    {
        var listing = string.CompareOrdinal(options.Value.ApiVersion, FirstVersionListingBulkOperations) >= 0;
        var data = listing
            ? await Execute(shop, "bulkOperations", RecentOperationsQuery, new JsonObject(), RecentOperationsCost, cancellationToken)
            : await Execute(shop, "currentBulkOperation", CurrentOperationQuery, new JsonObject(), OperationQueryCost, cancellationToken);
        var operations = listing
            ? data["bulkOperations"]?["nodes"] as JsonArray ?? throw Malformed("bulkOperations.nodes")
            : new JsonArray(data["currentBulkOperation"]?.DeepClone());
        var wanted = Normalized(bulkQuery);
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var status = Text(operation["status"], "status");
            if (status is "CREATED" or "RUNNING" && Text(operation["query"], "query") is { } query && Normalized(query) == wanted)
                return Text(operation["id"], "id");
        }
        return null;
    }

    /// <summary>A query with its whitespace collapsed: the same query, however Shopify keeps its layout.</summary>
    private static string Normalized(string query) => string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The version that names a subscription's address <c>uri</c>; before it, <c>callbackUrl</c>.</summary>
    public const string FirstVersionWithWebhookUri = "2025-10";

    private const string SubscribeMutation = """
        mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
          webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
            webhookSubscription { id }
            userErrors { field message }
          }
        }
        """;

    /// <summary>
    /// Subscribes <paramref name="shop"/> to <c>bulk_operations/finish</c> at <paramref name="callbackUrl"/>; returns the
    /// subscription's id, or null when the shop already has one for that address (Shopify says "already been taken").
    /// </summary>
    public Task<string?> SubscribeToBulkOperationsFinish(string shop, string callbackUrl, CancellationToken cancellationToken) =>
        Subscribe(shop, "BULK_OPERATIONS_FINISH", callbackUrl, cancellationToken);

    /// <summary>
    /// Subscribes <paramref name="shop"/> to <paramref name="topic"/> (a <c>WebhookSubscriptionTopic</c>) at <paramref name="callbackUrl"/>, as above.
    /// </summary>
    public async Task<string?> Subscribe(string shop, string topic, string callbackUrl, CancellationToken cancellationToken)
    {
        var address = string.CompareOrdinal(options.Value.ApiVersion, FirstVersionWithWebhookUri) >= 0 ? "uri" : "callbackUrl";
        var variables = new JsonObject
        {
            ["topic"] = topic,
            ["webhookSubscription"] = new JsonObject { [address] = callbackUrl, ["format"] = "JSON" },
        };
        var data = await Execute(shop, "webhookSubscriptionCreate", SubscribeMutation, variables, RunQueryCost, cancellationToken);
        var result = data["webhookSubscriptionCreate"] as JsonObject ?? throw Malformed("webhookSubscriptionCreate");
        if (result["userErrors"] is JsonArray { Count: > 0 } errors)
        {
            var message = Text(errors[0]?["message"], "userErrors.message") ?? "webhookSubscriptionCreate returned a user error.";
            if (message.Contains("already been taken", StringComparison.OrdinalIgnoreCase)) return null;
            throw new ShopifyApiException("WEBHOOK_REFUSED", $"Shopify refused the {topic} webhook subscription of {shop}: {message}", transient: false);
        }
        return Text(result["webhookSubscription"]?["id"], "webhookSubscription.id") ?? throw Malformed("webhookSubscription.id");
    }

    public async Task<string> RunBulkQuery(string shop, string bulkQuery, CancellationToken cancellationToken)
    {
        var data = await Execute(shop, "bulkOperationRunQuery", RunQueryMutation, new JsonObject { ["query"] = bulkQuery }, RunQueryCost, cancellationToken);
        var result = data["bulkOperationRunQuery"] as JsonObject ?? throw Malformed("bulkOperationRunQuery");
        if (result["userErrors"] is JsonArray { Count: > 0 } errors)
        {
            var first = errors[0] as JsonObject ?? throw Malformed("bulkOperationRunQuery.userErrors");
            var message = Text(first["message"], "userErrors.message") ?? "bulkOperationRunQuery returned a user error.";
            var code = ShopifyErrors.UserErrorCode(Text(first["code"], "userErrors.code"), message);
            throw new ShopifyApiException(code, $"Shopify refused the bulk query for {shop}: {message}", transient: ShopifyErrors.IsBusy(code));
        }
        return Text(result["bulkOperation"]?["id"], "bulkOperation.id") ?? throw Malformed("bulkOperation.id");
    }

    public async Task<BulkOperation> GetBulkOperation(string shop, string operationId, CancellationToken cancellationToken)
    {
        var data = await Execute(shop, "bulkOperation", OperationQuery, new JsonObject { ["id"] = operationId }, OperationQueryCost, cancellationToken);
        var node = data["node"] as JsonObject
                   ?? throw new ShopifyApiException("NOT_FOUND", $"Shopify knows no bulk operation {operationId} for {shop}.", transient: false);
        return new BulkOperation(
            Id: Text(node["id"], "id") ?? operationId,
            Status: Text(node["status"], "status") ?? throw Malformed("status"),
            ErrorCode: Text(node["errorCode"], "errorCode"),
            ObjectCount: UnsignedInt64(node["objectCount"], "objectCount"),
            RootObjectCount: UnsignedInt64(node["rootObjectCount"], "rootObjectCount"),
            FileSize: UnsignedInt64(node["fileSize"], "fileSize"),
            Url: Text(node["url"], "url"),
            PartialDataUrl: Text(node["partialDataUrl"], "partialDataUrl"));
    }

    private async Task<JsonObject> Execute(string shop, string operation, string query, JsonObject variables, double expectedCost,
        CancellationToken cancellationToken, string? accessToken = null)
    {
        var settings = options.Value;
        var connected = accessToken is null && tokens is not null ? await tokens.For(shop, cancellationToken) : null;
        var token = accessToken
                    ?? connected
                    ?? settings.AccessTokenFor(shop)
                    ?? throw new ShopifyApiException("UNKNOWN_SHOP", $"{shop} is not connected (no connection, and no token in Shopify:Shops).",
                        transient: false);
        var url = $"{settings.BaseUrlTemplate.Replace("{shop}", shop).TrimEnd('/')}/admin/api/{settings.ApiVersion}/graphql.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new JsonObject { ["query"] = query, ["variables"] = variables }),
        };
        request.Headers.Add("X-Shopify-Access-Token", token);

        await throttle.Pace(shop, expectedCost, cancellationToken);
        var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(request, token), (Source, operation), clock ?? TimeProvider.System,
            (exception, elapsed) =>
            {
                logger.LogWarning("Shopify {Operation} for {Shop} failed after {DurationMs} ms: {Error}", operation, shop, (long)elapsed.TotalMilliseconds,
                    exception.Message);
                return new ShopifyApiException("NETWORK", $"Shopify did not answer {operation} for {shop}: {exception.Message}", transient: true);
            },
            cancellationToken);

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            var cost = ReadCost(json);
            if (cost is not null) throttle.Record(shop, cost);
            var throttled = IsThrottled(response.StatusCode, json);
            ApiCallJournal.Record(Source, operation, Now, stopwatch.Elapsed, (int)response.StatusCode,
                LoggedCount(json?["data"]?["node"]?["objectCount"]), throttled,
                throttled ? "THROTTLED" : null,
                cost is { MaximumAvailable: > 0 } ? 100 * (1 - cost.CurrentlyAvailable / cost.MaximumAvailable) : null);
            logger.LogInformation(
                "Shopify {Operation} for {Shop}: HTTP {StatusCode} in {DurationMs} ms, {Records} records, "
                + "cost {ActualQueryCost}, available {CurrentlyAvailable}/{MaximumAvailable}",
                operation, shop, (int)response.StatusCode, stopwatch.ElapsedMilliseconds, LoggedCount(json?["data"]?["node"]?["objectCount"]),
                cost?.ActualQueryCost, cost?.CurrentlyAvailable, cost?.MaximumAvailable);

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var refusal = $"Shopify rejected the access token for {shop} (HTTP {(int)response.StatusCode}{ShopifyErrors.Said(json)}): "
                    + $"connect the shop again with a valid token.";
                // A connection's token Shopify no longer takes (revoked, the app's access removed): the connection is failing.
                if (connected is not null && response.StatusCode == HttpStatusCode.Unauthorized) await tokens!.Refused(shop, refusal, CancellationToken.None);
                throw new ShopifyApiException("UNAUTHORIZED", refusal, transient: false);
            }
            var status = (int)response.StatusCode;
            // A 5xx is often an HTML page from Shopify's edge rather than JSON: it is named, never parsed.
            var page = json is null && response.Content.Headers.ContentType?.MediaType == "text/html" ? " (an HTML page)" : "";
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
                throw new ShopifyApiException($"HTTP_{status}", $"Shopify answered HTTP {status}{page} to {operation} for {shop}.", transient: true,
                    ShopifyErrors.RetryAfter(response, clock ?? TimeProvider.System));
            if (!response.IsSuccessStatusCode)
                throw new ShopifyApiException($"HTTP_{status}", $"Shopify answered HTTP {status}{page} to {operation} for {shop}.", transient: false);
            if (json is null) throw Malformed("response body");

            if (json["errors"] is JsonArray { Count: > 0 } errors)
            {
                var (code, message) = ShopifyErrors.Classify(errors[0]);
                throw code == ShopifyErrors.MaxCostExceeded
                    ? new ShopifyApiException(code, $"Shopify refused {operation} for {shop}: "
                        + $"the query costs more than Shopify allows in one request ({code}: {message}).", transient: false)
                    : new ShopifyApiException(code, $"Shopify {operation} for {shop} failed: {code}: {message}", transient: ShopifyErrors.IsTransient(code));
            }
            return json["data"] as JsonObject ?? throw Malformed("data");
        }
    }

    private static bool IsThrottled(HttpStatusCode status, JsonObject? json) =>
        status == HttpStatusCode.TooManyRequests
        || json?["errors"] is JsonArray errors && errors.Any(e => ShopifyErrors.Classify(e).Code == ShopifyErrors.Throttled);

    private static QueryCost? ReadCost(JsonObject? json)
    {
        if (json?["extensions"]?["cost"] is not JsonObject cost) return null;
        var throttle = cost["throttleStatus"];
        return new QueryCost(
            Number(cost["requestedQueryCost"]), Number(cost["actualQueryCost"]),
            Number(throttle?["maximumAvailable"]), Number(throttle?["currentlyAvailable"]), Number(throttle?["restoreRate"]));
    }

    private static double Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;

    /// <summary>A String field: null when absent or null; any other type is a malformed answer, never a guess.</summary>
    private static string? Text(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw Malformed($"{field} (a {node.GetValueKind()} where Shopify sends a string)"),
    };

    /// <summary>Shopify serialises UnsignedInt64 as a string; a number is accepted too, anything else is malformed.</summary>
    private static long UnsignedInt64(JsonNode? node, string field) => node switch
    {
        null => 0,
        JsonValue value when value.TryGetValue<string>(out var text) && long.TryParse(text, out var parsed) => parsed,
        JsonValue value when value.TryGetValue<long>(out var number) => number,
        _ => throw Malformed($"{field} (a {node.GetValueKind()} that is not an UnsignedInt64)"),
    };

    private static long LoggedCount(JsonNode? node)
    {
        try { return UnsignedInt64(node, "objectCount"); }
        catch (ShopifyApiException) { return 0; }
    }

    private static ShopifyApiException Malformed(string what) =>
        new("MALFORMED_RESPONSE", $"Shopify's response has no valid {what}.", transient: false);
}
