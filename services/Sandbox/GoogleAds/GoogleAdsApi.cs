using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.GoogleOAuth;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.GoogleAds;

/// <summary>
/// The Google Ads API's <c>POST /{version}/customers/{customer_id}/googleAds:searchStream</c> under <c>/google-ads</c>
/// (the base URL is the only difference from <c>https://googleads.googleapis.com</c>): a GAQL query of campaigns by
/// day, answered as a JSON array of batches (<c>results</c>, <c>fieldMask</c>, <c>requestId</c>) in proto3 JSON:
/// int64 values as strings, doubles as numbers, zero values left out. Errors are Google's <c>GoogleAdsFailure</c>s:
/// UNAUTHENTICATED (a bad bearer token), PERMISSION_DENIED (a manager account not named in <c>login-customer-id</c>),
/// RESOURCE_EXHAUSTED with a <c>retryDelay</c> (the day's operations used up), INVALID_ARGUMENT for a query it cannot run.
/// </summary>
public sealed partial class GoogleAdsApi(IOptions<SandboxOptions> options, DemoShops shops, FailureSwitches failures, GoogleOAuthApi oauth, TimeProvider clock)
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["customer.currency_code"] = "customer.currencyCode", ["customer.time_zone"] = "customer.timeZone", ["customer.id"] = "customer.id",
        ["campaign.id"] = "campaign.id", ["campaign.name"] = "campaign.name", ["campaign.resource_name"] = "campaign.resourceName",
        ["segments.date"] = "segments.date", ["metrics.cost_micros"] = "metrics.costMicros", ["metrics.impressions"] = "metrics.impressions",
        ["metrics.clicks"] = "metrics.clicks", ["metrics.conversions"] = "metrics.conversions", ["metrics.conversions_value"] = "metrics.conversionsValue",
    };

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
        if (!customerAndMethod.EndsWith("/googleAds:searchStream", StringComparison.Ordinal)
            && !customerAndMethod.EndsWith(":searchStream", StringComparison.Ordinal))
            return Failure(version, 404, "NOT_FOUND", "requestError", "UNSUPPORTED", "The method is not supported by the Sandbox.");
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
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            query = body.RootElement.TryGetProperty("query", out var q) ? q.GetString() : null;
        }
        catch (JsonException)
        {
            return Failure(version, 400, "INVALID_ARGUMENT", "requestError", "BAD_RESOURCE_ID", "The request body must be JSON with a query.");
        }
        if (CustomerGaql().Match(query ?? "") is { Success: true } ofCustomer)
            return AnswerCustomer(version, customer, ofCustomer.Groups["fields"].Value, used);
        var parsed = Gaql().Match(query ?? "");
        if (!parsed.Success)
            return Failure(version, 400, "INVALID_ARGUMENT", "queryError", "UNEXPECTED_END_OF_QUERY",
                "The Sandbox runs SELECT … FROM campaign WHERE segments.date BETWEEN 'YYYY-MM-DD' AND 'YYYY-MM-DD' [ORDER BY …].");
        var selected = parsed.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (selected.FirstOrDefault(f => !Fields.ContainsKey(f)) is { } unknown)
            return Failure(version, 400, "INVALID_ARGUMENT", "queryError", "UNRECOGNIZED_FIELD", $"Unrecognized field in the query: '{unknown}'.");
        var since = DateOnly.ParseExact(parsed.Groups["since"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var until = DateOnly.ParseExact(parsed.Groups["until"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        var settings = shops.Settings(customer.Shop);
        if (settings is null)
            return Failure(version, 400, "INVALID_ARGUMENT", "requestError", "INVALID_INPUT", $"The customer's shop {customer.Shop} is not a Sandbox shop.");
        var rows = new DemoMarketing(shops.Get(settings), settings.Seed).GoogleDays(since, until).Select(d => Row(customer, settings, d, selected)).ToList();
        var fieldMask = string.Join(',', selected.Select(f => Fields[f]));
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
        ((JsonObject)batches[^1]!)["queryResourceConsumption"] = (100 + rows.Count).ToString(CultureInfo.InvariantCulture);
        return Results.Json(batches);
    }

    /// <summary>The customer resource itself (<c>SELECT customer.… FROM customer</c>), as a connection's check reads it: one batch of one row.</summary>
    private IResult AnswerCustomer(string version, SandboxAdsCustomer customer, string fields, int used)
    {
        var selected = fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (selected.FirstOrDefault(f => !CustomerFields.ContainsKey(f)) is { } unknown)
            return Failure(version, 400, "INVALID_ARGUMENT", "queryError", "UNRECOGNIZED_FIELD", $"Unrecognized field in the query: '{unknown}'.");
        var shop = shops.Settings(customer.Shop);
        var owner = new JsonObject { ["resourceName"] = $"customers/{customer.Id}" };
        foreach (var field in selected)
        {
            switch (field)
            {
                case "customer.id": owner["id"] = customer.Id; break;
                case "customer.descriptive_name": owner["descriptiveName"] = $"{shop?.Name ?? customer.Shop} Ads"; break;
                case "customer.currency_code": owner["currencyCode"] = shop?.CurrencyCode ?? "USD"; break;
                case "customer.time_zone": owner["timeZone"] = customer.TimeZone; break;
                case "customer.status": owner["status"] = "ENABLED"; break;
            }
        }
        return Results.Json(new JsonArray(new JsonObject
        {
            ["results"] = new JsonArray(new JsonObject { ["customer"] = owner }),
            ["fieldMask"] = string.Join(',', selected.Select(f => CustomerFields[f])),
            ["requestId"] = RequestId(customer.Id, used, 0),
            ["queryResourceConsumption"] = "101",
        }));
    }

    private static readonly Dictionary<string, string> CustomerFields = new(StringComparer.Ordinal)
    {
        ["customer.id"] = "customer.id", ["customer.descriptive_name"] = "customer.descriptiveName", ["customer.currency_code"] = "customer.currencyCode",
        ["customer.time_zone"] = "customer.timeZone", ["customer.status"] = "customer.status", ["customer.manager"] = "customer.manager",
        ["customer.resource_name"] = "customer.resourceName",
    };

    private const string PermissionDenied =
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the "
        + "'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid";

    /// <summary>A row in proto3 JSON: resource names always, int64 as strings, doubles as numbers, zero values left out.</summary>
    private static JsonObject Row(SandboxAdsCustomer customer, SandboxShop shop, DemoCampaignDay day, IReadOnlyList<string> selected)
    {
        var owner = new JsonObject { ["resourceName"] = $"customers/{customer.Id}" };
        var campaign = new JsonObject { ["resourceName"] = $"customers/{customer.Id}/campaigns/{day.Campaign.Id}" };
        var segments = new JsonObject();
        var metrics = new JsonObject();
        var conversions = Math.Round(day.Purchases * (0.85 + 0.3 * (day.Date.DayNumber % 7) / 6.0), 2);
        foreach (var field in selected)
        {
            switch (field)
            {
                case "customer.currency_code": owner["currencyCode"] = shop.CurrencyCode; break;
                case "customer.time_zone": owner["timeZone"] = customer.TimeZone; break;
                case "customer.id": owner["id"] = customer.Id; break;
                case "campaign.id": campaign["id"] = day.Campaign.Id; break;
                case "campaign.name": campaign["name"] = day.Campaign.Name; break;
                case "segments.date": segments["date"] = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "metrics.cost_micros" when day.Spend > 0:
                    metrics["costMicros"] = ((long)(day.Spend * 1_000_000)).ToString(CultureInfo.InvariantCulture);
                    break;
                case "metrics.impressions" when day.Impressions > 0: metrics["impressions"] = day.Impressions.ToString(CultureInfo.InvariantCulture); break;
                case "metrics.clicks" when day.Clicks > 0: metrics["clicks"] = day.Clicks.ToString(CultureInfo.InvariantCulture); break;
                case "metrics.conversions" when conversions > 0: metrics["conversions"] = conversions; break;
                case "metrics.conversions_value" when day.PurchaseValue > 0: metrics["conversionsValue"] = (double)day.PurchaseValue; break;
            }
        }
        var row = new JsonObject();
        if (selected.Any(f => f.StartsWith("customer.", StringComparison.Ordinal))) row["customer"] = owner;
        row["campaign"] = campaign;
        if (segments.Count > 0) row["segments"] = segments;
        if (metrics.Count > 0) row["metrics"] = metrics;
        return row;
    }

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

    [GeneratedRegex(@"^\s*SELECT\s+(?<fields>.+?)\s+FROM\s+campaign\s+WHERE\s+segments\.date\s+BETWEEN\s+"
        + @"'(?<since>\d{4}-\d{2}-\d{2})'\s+AND\s+'(?<until>\d{4}-\d{2}-\d{2})'(\s+ORDER\s+BY\s+[\w\.,\s]+)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Gaql();

    [GeneratedRegex(@"^\s*SELECT\s+(?<fields>.+?)\s+FROM\s+customer(\s+LIMIT\s+\d+)?\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CustomerGaql();
}
