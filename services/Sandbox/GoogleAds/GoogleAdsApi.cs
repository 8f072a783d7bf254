using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.GoogleOAuth;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.GoogleAds;

/// <summary>
/// The Google Ads API's <c>POST /{version}/customers/{customer_id}/googleAds:searchStream</c> and <c>googleAds:search</c>
/// under <c>/google-ads</c> (the base URL is the only difference from <c>https://googleads.googleapis.com</c>): any GAQL
/// query over what the Sandbox holds (<see cref="GaqlReport"/>), answered as a JSON array of batches (<c>results</c>,
/// <c>fieldMask</c>, <c>requestId</c>) or as pages of 10,000 rows with <c>nextPageToken</c>, in proto3 JSON:
/// int64 values as strings, doubles as numbers, zero values left out. Errors are Google's <c>GoogleAdsFailure</c>s:
/// UNAUTHENTICATED (a bad bearer token), PERMISSION_DENIED (a manager account not named in <c>login-customer-id</c>),
/// RESOURCE_EXHAUSTED with a <c>retryDelay</c> (the day's operations used up), INVALID_ARGUMENT for a query it cannot run.
/// </summary>
public sealed class GoogleAdsApi(IOptions<SandboxOptions> options, DemoShops shops, FailureSwitches failures, GoogleOAuthApi oauth, TimeProvider clock)
{
    private readonly ConcurrentDictionary<(string Customer, DateOnly Day), int> _operations = new();

    private GoogleAdsSandboxOptions Settings => options.Value.GoogleAds;

    public static IEndpointRouteBuilder MapGoogleAdsApi(IEndpointRouteBuilder app)
    {
        app.MapPost("/google-ads/{version}/customers/{**rest}",
            (string version, string rest, HttpContext http, GoogleAdsApi api) => api.SearchStream(version, rest, http));
        return app;
    }

    private async Task<IResult> SearchStream(string version, string customerAndMethod, HttpContext http)
    {
        var paged = customerAndMethod.EndsWith("/googleAds:search", StringComparison.Ordinal);
        if (!paged && !customerAndMethod.EndsWith("/googleAds:searchStream", StringComparison.Ordinal))
            return Failure(version, 404, "NOT_FOUND", "requestError", "UNSUPPORTED", "The Sandbox answers googleAds:search and googleAds:searchStream.");
        var customerId = customerAndMethod.Split('/')[0];
        var customer = Settings.Customers.FirstOrDefault(c => c.Id == customerId);
        var token = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..]
            : "";
        if (customer is null || !oauth.Accepts(token, customer.AccessToken, customer.RefreshToken, GoogleOAuthApi.AdWordsScope))
            return token.Length == 0 || customer is not null
                ? Failure(version, 401, "UNAUTHENTICATED", "authenticationError", "OAUTH_TOKEN_INVALID", "Request had invalid authentication credentials.",
                    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                    + "See https://developers.google.com/identity/sign-in/web/devconsole-project.")
                : Failure(version, 403, "PERMISSION_DENIED", "authorizationError", "USER_PERMISSION_DENIED", PermissionDenied,
                    "The caller does not have permission");
        if (customer.ManagerId is { } manager && http.Request.Headers["login-customer-id"].ToString() != manager)
            return Failure(version, 403, "PERMISSION_DENIED", "authorizationError", "USER_PERMISSION_DENIED", PermissionDenied,
                "The caller does not have permission");

        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var used = _operations.AddOrUpdate((customer.Id, day), 1, (_, n) => n + 1);
        var untilMidnight = (int)Math.Ceiling((day.AddDays(1).ToDateTime(TimeOnly.MinValue) - clock.GetUtcNow().UtcDateTime).TotalSeconds);
        if (used > Settings.DailyOperations || failures.Trip($"google-ads:{customer.Id}", customer.Failures, "QUOTA"))
            return Failure(version, 429, "RESOURCE_EXHAUSTED", "quotaError", "RESOURCE_EXHAUSTED", $"Too many requests. Retry in {untilMidnight} seconds.",
                "Resource has been exhausted (e.g. check quota).",
                new JsonObject
                {
                    ["quotaErrorDetails"] = new JsonObject
                    {
                        ["rateScope"] = "DEVELOPER", ["rateName"] = "Number of operations for basic access", ["retryDelay"] = $"{untilMidnight}s"
                    }
                });
        if (failures.Trip($"google-ads:{customer.Id}", customer.Failures, "INTERNAL"))
            return Failure(version, 500, "INTERNAL", "internalError", "INTERNAL_ERROR", "An internal error has occurred.", "Internal error encountered.");

        string? query;
        JsonElement request;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            request = body.RootElement.Clone();
            query = request.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString() : null;
        }
        catch (JsonException)
        {
            return Failure(version, 400, "INVALID_ARGUMENT", "requestError", "BAD_RESOURCE_ID", "The request body must be JSON with a query.");
        }
        if (string.IsNullOrWhiteSpace(query))
            return Failure(version, 400, "INVALID_ARGUMENT", "queryError", "UNEXPECTED_END_OF_QUERY", "Query is incomplete and cannot be parsed.",
                "Request contains an invalid argument.");
        if (paged && request.TryGetProperty("pageSize", out _))
            return Failure(version, 400, "INVALID_ARGUMENT", "requestError", "PAGE_SIZE_NOT_SUPPORTED",
                "Setting the page size is not supported: search answers pages of 10,000 rows.", "Request contains an invalid argument.");

        List<JsonObject> rows;
        string fieldMask;
        try
        {
            var settings = shops.Settings(customer.Shop);
            var report = new GaqlReport(Gaql.Parse(query), customer, settings,
                settings is null ? null : new DemoMarketing(shops.Get(settings), settings.Seed));
            var zone = TimeZoneInfo.TryFindSystemTimeZoneById(customer.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
            rows = report.Rows(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime));
            fieldMask = report.FieldMask;
        }
        catch (GaqlException refused)
        {
            return Failure(version, 400, "INVALID_ARGUMENT", "queryError", refused.Code, refused.Message, "Request contains an invalid argument.");
        }
        var consumption = (100 + rows.Count).ToString(CultureInfo.InvariantCulture);
        return paged ? Page(version, customer, request, rows, fieldMask, used, consumption) : Stream(customer, rows, fieldMask, used, consumption);
    }

    /// <summary>searchStream's answer: a JSON array of batches, each with its results (none in an empty one), the field mask and a request id.</summary>
    private IResult Stream(SandboxAdsCustomer customer, List<JsonObject> rows, string fieldMask, int used, string consumption)
    {
        var batches = new JsonArray();
        for (var start = 0; start < rows.Count || start == 0; start += Settings.BatchSize)
        {
            var batch = new JsonObject();
            var slice = rows.Skip(start).Take(Settings.BatchSize).ToList();
            if (slice.Count > 0) batch["results"] = new JsonArray(slice.Select(r => (JsonNode)r).ToArray());
            batch["fieldMask"] = fieldMask;
            batch["requestId"] = RequestId(customer.Id, used, start);
            batches.Add(batch);
            if (rows.Count == 0) break;
        }
        ((JsonObject)batches[^1]!)["queryResourceConsumption"] = consumption;
        return Results.Json(batches);
    }

    /// <summary>
    /// search's answer: a page of at most 10,000 rows (the fixed page size since v17), <c>nextPageToken</c> on every page but the
    /// last, <c>totalResultsCount</c> when <c>searchSettings.returnTotalResultsCount</c> asks for it.
    /// </summary>
    private IResult Page(string version, SandboxAdsCustomer customer, JsonElement request, List<JsonObject> rows, string fieldMask, int used,
        string consumption)
    {
        const int pageSize = 10_000;
        var offset = 0;
        if (request.TryGetProperty("pageToken", out var token) && token.GetString() is { Length: > 0 } text)
            try
            {
                var parts = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split(':');
                offset = parts is [var customerId, var at] && customerId == customer.Id ? int.Parse(at, CultureInfo.InvariantCulture) : -1;
            }
            catch (FormatException)
            {
                offset = -1;
            }
        if (offset < 0)
            return Failure(version, 400, "INVALID_ARGUMENT", "requestError", "INVALID_PAGE_TOKEN", "Page token is invalid.",
                "Request contains an invalid argument.");
        var page = new JsonObject();
        var slice = rows.Skip(offset).Take(pageSize).ToList();
        if (slice.Count > 0) page["results"] = new JsonArray(slice.Select(r => (JsonNode)r).ToArray());
        if (offset + slice.Count < rows.Count)
            page["nextPageToken"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{customer.Id}:{offset + slice.Count}"));
        if (request.TryGetProperty("searchSettings", out var settings) && settings.ValueKind == JsonValueKind.Object
            && settings.TryGetProperty("returnTotalResultsCount", out var total) && total.ValueKind == JsonValueKind.True)
            page["totalResultsCount"] = rows.Count.ToString(CultureInfo.InvariantCulture);
        page["fieldMask"] = fieldMask;
        page["requestId"] = RequestId(customer.Id, used, offset);
        page["queryResourceConsumption"] = consumption;
        return Results.Json(page);
    }

    private const string PermissionDenied =
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the "
        + "'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid";

    private static string RequestId(string customer, int operation, int start) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{customer}:{operation}:{start}")))[..22]
            .Replace('+', '-').Replace('/', '_');

    /// <summary>Google's error envelope with a GoogleAdsFailure in its details, whose errorCode is a one-key object.</summary>
    private IResult Failure(string version, int status, string grpcStatus, string errorKind, string errorCode, string message, string? outer = null,
        JsonObject? details = null)
    {
        var error = new JsonObject { ["errorCode"] = new JsonObject { [errorKind] = errorCode }, ["message"] = message };
        if (details is not null) error["details"] = details;
        return Results.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = status,
                ["message"] = outer ?? message,
                ["status"] = grpcStatus,
                ["details"] = new JsonArray(new JsonObject
                {
                    ["@type"] = $"type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure",
                    ["errors"] = new JsonArray(error),
                    ["requestId"] = RequestId(errorCode, status, 0),
                }),
            },
        }, statusCode: status);
    }
}
