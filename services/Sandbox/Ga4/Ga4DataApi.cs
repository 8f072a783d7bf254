using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.GoogleOAuth;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Ga4;

/// <summary>
/// The GA4 Data API's <c>POST /v1beta/properties/{property_id}:runReport</c> under <c>/ga4</c> (the base URL is the
/// only difference from <c>https://analyticsdata.googleapis.com</c>): dimensions <c>date</c> (YYYYMMDD) and
/// <c>sessionDefaultChannelGroup</c>, metrics <c>sessions</c>, <c>totalUsers</c>, <c>keyEvents</c> (and its former
/// name <c>conversions</c>), <c>purchaseRevenue</c>; every value a string whatever its header's type; limit/offset
/// paging with <c>rowCount</c> counting every row; <c>rows</c> left out of an empty report and <c>rowCount</c> with it;
/// <c>propertyQuota</c> when asked. Without <c>orderBys</c> rows come by the first metric, largest first, as GA4 does.
/// Errors are Google's envelope: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 400 INVALID_ARGUMENT, 429
/// RESOURCE_EXHAUSTED in GA4's own words for each quota.
/// </summary>
public sealed class Ga4DataApi(IOptions<SandboxOptions> options, DemoShops shops, FailureSwitches failures, GoogleOAuthApi oauth, TimeProvider clock)
{
    private const string Schema =
        "For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema";

    private static readonly Dictionary<string, string> MetricTypes = new(StringComparer.Ordinal)
    {
        ["sessions"] = "TYPE_INTEGER", ["totalUsers"] = "TYPE_INTEGER", ["keyEvents"] = "TYPE_FLOAT", ["conversions"] = "TYPE_FLOAT",
        ["purchaseRevenue"] = "TYPE_CURRENCY", ["totalRevenue"] = "TYPE_CURRENCY",
    };

    private static readonly HashSet<string> Dimensions = new(StringComparer.Ordinal) { "date", "sessionDefaultChannelGroup" };

    private readonly ConcurrentDictionary<string, Usage> _usage = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _running = new(StringComparer.Ordinal);

    private Ga4SandboxOptions Settings => options.Value.Ga4;

    private sealed record Usage(DateTimeOffset Hour, int HourTokens, DateOnly Day, int DayTokens);

    public static IEndpointRouteBuilder MapGa4DataApi(IEndpointRouteBuilder app)
    {
        app.MapPost("/ga4/{version}/properties/{propertyAndMethod}", (string version, string propertyAndMethod, HttpContext http, Ga4DataApi api) =>
            api.RunReport(version, propertyAndMethod, http));
        return app;
    }

    /// <summary>Whether the bearer token reaches the property: its own, or one granted either of Analytics' scopes.</summary>
    public bool Reaches(string token, SandboxGa4Property property) =>
        oauth.Accepts(token, property.AccessToken, property.RefreshToken, GoogleOAuthApi.AnalyticsReadOnlyScope)
        || oauth.Accepts(token, property.AccessToken, property.RefreshToken, GoogleOAuthApi.AnalyticsScope);

    private async Task<IResult> RunReport(string version, string propertyAndMethod, HttpContext http)
    {
        if (version != "v1beta" && version != "v1alpha") return Error(404, "NOT_FOUND", $"Version {version} of the Data API is not known.");
        if (!propertyAndMethod.EndsWith(":runReport", StringComparison.Ordinal))
            return Error(404, "NOT_FOUND", "The Sandbox answers runReport only.");
        var propertyId = propertyAndMethod[..^":runReport".Length];
        var token = http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..]
            : "";
        var property = Settings.Properties.FirstOrDefault(p => p.Id == propertyId);
        if (!Settings.Properties.Any(p => Reaches(token, p)))
            return Error(401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                + "See https://developers.google.com/identity/sign-in/web/devconsole-project.");
        if (property is null || !Reaches(token, property) || failures.Trip($"ga4:{propertyId}", property.Failures, "PERMISSION_DENIED"))
            return Error(403, "PERMISSION_DENIED",
                "User does not have sufficient permissions for this property. To learn more about Property ID, "
                + "see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.");

        var owner = $"ga4:{property.Id}";
        var running = _running.AddOrUpdate(property.Id, 1, (_, n) => n + 1);
        try
        {
            if (running > Settings.ConcurrentRequests || failures.Trip(owner, property.Failures, "CONCURRENT"))
                return Error(429, "RESOURCE_EXHAUSTED", "Exhausted concurrent requests quota. These quota tokens will return in under an hour. "
                    + "To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas");
            if (failures.Trip(owner, property.Failures, "QUOTA_HOURLY"))
                return Error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens for a project per hour. These quota tokens will return in under an hour. "
                    + "To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas");
            if (failures.Trip(owner, property.Failures, "QUOTA_DAILY"))
                return Error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per day. These quota tokens will return in under 24 hours. "
                    + "To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas");
            if (failures.Trip(owner, property.Failures, "INTERNAL"))
                return Error(500, "INTERNAL", "Internal error encountered.");

            Request request;
            try
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body);
                request = Request.Read(body.RootElement);
            }
            catch (JsonException exception)
            {
                return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received. {exception.Message}");
            }
            catch (InvalidArgument invalid)
            {
                return Error(400, "INVALID_ARGUMENT", invalid.Message);
            }

            var usage = Current(property);
            if (usage.HourTokens >= Settings.TokensPerHour)
                return Error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per hour. These quota tokens will return in under an hour. "
                    + "To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas");
            if (usage.DayTokens >= Settings.TokensPerDay)
                return Error(429, "RESOURCE_EXHAUSTED", "Exhausted property tokens per day. These quota tokens will return in under 24 hours. "
                    + "To learn more, see https://developers.google.com/analytics/devguides/reporting/data/v1/quotas");

            var settings = shops.Settings(property.Shop);
            if (settings is null) return Error(400, "INVALID_ARGUMENT", $"The property's shop {property.Shop} is not a Sandbox shop.");
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var (since, until) = (request.Range.Start(today), request.Range.End(today));
            if (since > until) return Error(400, "INVALID_ARGUMENT", $"The dateRange's startDate {since:yyyy-MM-dd} is after its endDate {until:yyyy-MM-dd}.");

            var rows = Rows(new DemoMarketing(shops.Get(settings), settings.Seed).Ga4Days(since, until), request);
            var page = rows.Skip((int)Math.Min(request.Offset, int.MaxValue)).Take(request.Limit).ToList();
            var cost = 1 + (until.DayNumber - since.DayNumber) / 30 + page.Count / 500;
            usage = _usage.AddOrUpdate(property.Id, usage with { HourTokens = usage.HourTokens + cost, DayTokens = usage.DayTokens + cost },
                (_, u) => u with { HourTokens = u.HourTokens + cost, DayTokens = u.DayTokens + cost });

            var answer = new JsonObject
            {
                ["dimensionHeaders"] = new JsonArray(request.Dimensions.Select(d => (JsonNode)new JsonObject { ["name"] = d }).ToArray()),
                ["metricHeaders"] = new JsonArray(request.Metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m, ["type"] = MetricTypes[m] }).ToArray()),
            };
            if (page.Count > 0)
                answer["rows"] = new JsonArray(page.Select(r => (JsonNode)new JsonObject
                {
                    ["dimensionValues"] = new JsonArray(r.Dimensions.Select(v => (JsonNode)new JsonObject { ["value"] = v }).ToArray()),
                    ["metricValues"] = new JsonArray(r.Metrics.Select(v => (JsonNode)new JsonObject { ["value"] = v }).ToArray()),
                }).ToArray());
            if (rows.Count > 0) answer["rowCount"] = rows.Count;
            // A report's metadata may say nothing of the currency (METADATA_EMPTY: {}, NO_CURRENCY: the zone alone), as some properties' do.
            answer["metadata"] = FailureSwitches.Has(property.Failures, "METADATA_EMPTY") ? new JsonObject()
                : FailureSwitches.Has(property.Failures, "NO_CURRENCY") ? new JsonObject { ["timeZone"] = property.TimeZone }
                : new JsonObject { ["currencyCode"] = settings.CurrencyCode, ["timeZone"] = property.TimeZone };
            if (request.ReturnPropertyQuota) answer["propertyQuota"] = Quota(property, usage);
            answer["kind"] = "analyticsData#runReport";
            return Results.Json(answer);
        }
        finally
        {
            _running.AddOrUpdate(property.Id, 0, (_, n) => Math.Max(0, n - 1));
        }
    }

    private Usage Current(SandboxGa4Property property)
    {
        var now = clock.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var low = FailureSwitches.Has(property.Failures, "TOKENS_LOW") ? Settings.TokensPerHour - 20 : 0;
        return _usage.AddOrUpdate(property.Id, _ => new Usage(hour, low, day, low),
            (_, u) => new Usage(hour, u.Hour == hour ? u.HourTokens : low, day, u.Day == day ? u.DayTokens : low));
    }

    private JsonObject Quota(SandboxGa4Property property, Usage usage)
    {
        static JsonObject Status(int consumed, int limit) => new() { ["consumed"] = consumed, ["remaining"] = Math.Max(0, limit - consumed) };
        var running = _running.GetValueOrDefault(property.Id);
        return new JsonObject
        {
            ["tokensPerDay"] = Status(usage.DayTokens, Settings.TokensPerDay),
            ["tokensPerHour"] = Status(usage.HourTokens, Settings.TokensPerHour),
            ["concurrentRequests"] = Status(running, Settings.ConcurrentRequests),
            ["serverErrorsPerProjectPerHour"] = Status(0, 10),
            ["potentiallyThresholdedRequestsPerHour"] = Status(0, 120),
            ["tokensPerProjectPerHour"] = Status(usage.HourTokens, Settings.TokensPerHour * 35 / 100),
        };
    }

    private sealed record Row(string[] Dimensions, string[] Metrics, decimal[] Numbers);

    /// <summary>The days grouped by the dimensions asked for, each metric summed and written as GA4 writes it, in the order asked for.</summary>
    private static List<Row> Rows(IEnumerable<DemoChannelDay> days, Request request)
    {
        var grouped = days
            .GroupBy(d => string.Join('\u001f',
                request.Dimensions.Select(name => name == "date" ? d.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : d.Channel.Name)))
            .Select(g =>
            {
                var numbers = request.Metrics.Select(m => m switch
                {
                    "sessions" => g.Sum(d => (decimal)d.Sessions),
                    "totalUsers" => g.Sum(d => (decimal)d.Users),
                    "keyEvents" or "conversions" => g.Sum(d => (decimal)d.KeyEvents),
                    _ => g.Sum(d => d.Revenue),
                }).ToArray();
                var texts = request.Metrics.Select((m, i) => MetricTypes[m] == "TYPE_CURRENCY"
                    // GA4 sums currency in floating point and writes the double: 17.989999999999998, not 17.99.
                    ? g.Aggregate(0d, (sum, d) => sum + (double)d.Revenue).ToString("R", CultureInfo.InvariantCulture)
                    : numbers[i].ToString(CultureInfo.InvariantCulture)).ToArray();
                return new Row(g.Key.Length == 0 ? [] : g.Key.Split('\u001f'), texts, numbers);
            })
            .Where(r => r.Numbers.Any(n => n != 0))
            .ToList();

        IOrderedEnumerable<Row>? ordered = null;
        foreach (var order in request.OrderBys.DefaultIfEmpty(new OrderBy(null, request.Metrics[0], Desc: true)))
        {
            var dimension = order.Dimension is null ? -1 : request.Dimensions.IndexOf(order.Dimension);
            var metric = order.Metric is null ? -1 : request.Metrics.IndexOf(order.Metric);
            Func<Row, IComparable> key = dimension >= 0 ? r => r.Dimensions[dimension] : r => r.Numbers[metric];
            ordered = ordered is null
                ? order.Desc ? grouped.OrderByDescending(key) : grouped.OrderBy(key)
                : order.Desc ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        }
        return ordered!.ToList();
    }

    private sealed class InvalidArgument(string message) : Exception(message);

    private sealed record OrderBy(string? Dimension, string? Metric, bool Desc);

    private sealed record DateRange(string StartDate, string EndDate)
    {
        public DateOnly Start(DateOnly today) => Parse(StartDate, today, "startDate");
        public DateOnly End(DateOnly today) => Parse(EndDate, today, "endDate");

        /// <summary>YYYY-MM-DD, <c>today</c>, <c>yesterday</c> or <c>NdaysAgo</c>, as GA4 takes them.</summary>
        private static DateOnly Parse(string text, DateOnly today, string field)
        {
            if (text == "today") return today;
            if (text == "yesterday") return today.AddDays(-1);
            if (text.EndsWith("daysAgo", StringComparison.Ordinal)
                && int.TryParse(text[..^"daysAgo".Length], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return today.AddDays(-n);
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new InvalidArgument($"Invalid {field}: '{text}'. A date is YYYY-MM-DD, NdaysAgo, yesterday or today.");
        }
    }

    private sealed record Request(DateRange Range, List<string> Dimensions, List<string> Metrics, long Offset, int Limit, List<OrderBy> OrderBys,
        bool ReturnPropertyQuota)
    {
        public static Request Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidArgument("The request body must be a RunReportRequest object.");
            if (!root.TryGetProperty("dateRanges", out var ranges) || ranges.ValueKind != JsonValueKind.Array || ranges.GetArrayLength() == 0)
                throw new InvalidArgument("A dateRange is required: dateRanges must name at least one.");
            if (ranges.GetArrayLength() > 1) throw new InvalidArgument("The Sandbox answers one dateRange a request.");
            var range = ranges[0];
            var dateRange = new DateRange(Text(range, "startDate") ?? throw new InvalidArgument("dateRanges[0].startDate is required."),
                Text(range, "endDate") ?? throw new InvalidArgument("dateRanges[0].endDate is required."));
            var dimensions = Names(root, "dimensions");
            if (dimensions.FirstOrDefault(d => !Ga4DataApi.Dimensions.Contains(d)) is { } unknownDimension)
                throw new InvalidArgument($"Field {unknownDimension} is not a valid dimension. {Schema}");
            var metrics = Names(root, "metrics");
            if (metrics.Count == 0) throw new InvalidArgument("At least one metric is required.");
            if (metrics.FirstOrDefault(m => !MetricTypes.ContainsKey(m)) is { } unknownMetric)
                throw new InvalidArgument($"Field {unknownMetric} is not a valid metric. {Schema}");
            var limit = Int64(root, "limit") ?? 10_000;
            var offset = Int64(root, "offset") ?? 0;
            if (limit is < 0 or > 250_000) throw new InvalidArgument($"limit must be positive and at most 250000; it was {limit}.");
            if (offset < 0) throw new InvalidArgument($"offset must not be negative; it was {offset}.");
            var orderBys = new List<OrderBy>();
            if (root.TryGetProperty("orderBys", out var orders) && orders.ValueKind == JsonValueKind.Array)
                foreach (var order in orders.EnumerateArray())
                {
                    var desc = order.TryGetProperty("desc", out var d) && d.ValueKind == JsonValueKind.True;
                    if (order.TryGetProperty("dimension", out var dimension) && Text(dimension, "dimensionName") is { } dimensionName)
                        orderBys.Add(dimensions.Contains(dimensionName) ? new OrderBy(dimensionName, null, desc)
                            : throw new InvalidArgument($"The orderBys dimension {dimensionName} is not in the request's dimensions."));
                    else if (order.TryGetProperty("metric", out var metric) && Text(metric, "metricName") is { } metricName)
                        orderBys.Add(metrics.Contains(metricName) ? new OrderBy(null, metricName, desc)
                            : throw new InvalidArgument($"The orderBys metric {metricName} is not in the request's metrics."));
                }
            var quota = root.TryGetProperty("returnPropertyQuota", out var q) && q.ValueKind == JsonValueKind.True;
            return new Request(dateRange, dimensions, metrics, offset, (int)(limit == 0 ? 10_000 : limit), orderBys, quota);
        }

        private static List<string> Names(JsonElement root, string property) =>
            root.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(e => Text(e, "name") ?? throw new InvalidArgument($"Every entry of {property} needs a name.")).ToList()
                : [];

        private static string? Text(JsonElement element, string property) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        /// <summary>An int64 as proto3 JSON writes it (a string) or as a number.</summary>
        private static long? Int64(JsonElement root, string property)
        {
            if (!root.TryGetProperty(property, out var value)) return null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
            if (value.ValueKind == JsonValueKind.String
                && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                return parsed;
            throw new InvalidArgument($"Invalid value at '{property}' (TYPE_INT64), {value.GetRawText()}");
        }
    }

    /// <summary>Google's error envelope as GA4 writes it: no details, the status names the kind.</summary>
    private static IResult Error(int code, string status, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status } }, statusCode: code);
}
