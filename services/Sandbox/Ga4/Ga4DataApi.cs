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

    /// <summary>The metrics the Sandbox answers, with the type GA4's metadata gives each (its API schema's names).</summary>
    private static readonly Dictionary<string, string> MetricTypes = new(StringComparer.Ordinal)
    {
        ["sessions"] = "TYPE_INTEGER", ["totalUsers"] = "TYPE_INTEGER", ["activeUsers"] = "TYPE_INTEGER", ["newUsers"] = "TYPE_INTEGER",
        ["engagedSessions"] = "TYPE_INTEGER", ["engagementRate"] = "TYPE_FLOAT", ["bounceRate"] = "TYPE_FLOAT", ["screenPageViews"] = "TYPE_INTEGER",
        ["eventCount"] = "TYPE_INTEGER", ["averageSessionDuration"] = "TYPE_SECONDS", ["keyEvents"] = "TYPE_FLOAT", ["conversions"] = "TYPE_FLOAT",
        ["sessionKeyEventRate"] = "TYPE_FLOAT", ["ecommercePurchases"] = "TYPE_INTEGER", ["transactions"] = "TYPE_INTEGER",
        ["itemsPurchased"] = "TYPE_INTEGER", ["addToCarts"] = "TYPE_INTEGER", ["checkouts"] = "TYPE_INTEGER",
        ["purchaseRevenue"] = "TYPE_CURRENCY", ["totalRevenue"] = "TYPE_CURRENCY",
    };

    /// <summary>
    /// The dimensions the Sandbox answers: the day's and the week's, the channel group's with its source, medium and campaign, the visitor's
    /// country (and city) and device.
    /// </summary>
    private static readonly HashSet<string> Dimensions = new(StringComparer.Ordinal)
    {
        "date", "year", "month", "yearMonth", "week", "isoWeek", "isoYearIsoWeek", "dayOfWeek", "dayOfWeekName", "sessionDefaultChannelGroup",
        "firstUserDefaultChannelGroup", "sessionSource", "sessionMedium", "sessionSourceMedium", "sessionCampaignName", "country", "countryId", "city",
        "deviceCategory", "platform",
    };

    /// <summary>Each demo channel group's source, medium and campaign as GA4 names a session's (direct traffic is "(direct) / (none)").</summary>
    private static readonly Dictionary<string, (string Source, string Medium, string Campaign)> Sources = new(StringComparer.Ordinal)
    {
        ["Organic Search"] = ("google", "organic", "(organic)"),
        ["Paid Search"] = ("google", "cpc", "Search - Generic Tools"),
        ["Paid Social"] = ("facebook", "paid", "Prospecting - Broad Audiences"),
        ["Direct"] = ("(direct)", "(none)", "(direct)"),
        ["Email"] = ("klaviyo", "email", "Weekly newsletter"),
        ["Referral"] = ("workshop-forum.example", "referral", "(referral)"),
    };

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
            var marketing = new DemoMarketing(shops.Get(settings), settings.Seed);
            var ranges = new List<(string Name, DateOnly Since, DateOnly Until)>();
            foreach (var (range, i) in request.Ranges.Select((r, i) => (r, i)))
            {
                var (since, until) = (range.Start(today), range.End(today));
                if (since > until)
                    return Error(400, "INVALID_ARGUMENT", $"The dateRange's startDate {since:yyyy-MM-dd} is after its endDate {until:yyyy-MM-dd}.");
                ranges.Add((range.Name ?? $"date_range_{i}", since, until));
            }
            var facts = ranges.SelectMany(r => marketing.Ga4Days(r.Since, r.Until).SelectMany(day => Split(r.Name, day))).ToList();
            // With more than one date range GA4 adds the dateRange dimension, after those asked for.
            var dimensions = ranges.Count > 1 ? [.. request.Dimensions, "dateRange"] : request.Dimensions;
            var rows = Rows(facts, request, dimensions);
            var page = rows.Skip((int)Math.Min(request.Offset, int.MaxValue)).Take(request.Limit).ToList();
            var days = ranges.Sum(r => r.Until.DayNumber - r.Since.DayNumber + 1);
            var cost = 1 + days / 30 + page.Count / 500;
            usage = _usage.AddOrUpdate(property.Id, usage with { HourTokens = usage.HourTokens + cost, DayTokens = usage.DayTokens + cost },
                (_, u) => u with { HourTokens = u.HourTokens + cost, DayTokens = u.DayTokens + cost });

            static JsonArray Values(IEnumerable<string> values) => new(values.Select(v => (JsonNode)new JsonObject { ["value"] = v }).ToArray());
            static JsonObject Json(Row r) => new() { ["dimensionValues"] = Values(r.Dimensions), ["metricValues"] = Values(r.Metrics) };
            var answer = new JsonObject
            {
                ["dimensionHeaders"] = new JsonArray(dimensions.Select(d => (JsonNode)new JsonObject { ["name"] = d }).ToArray()),
                ["metricHeaders"] = new JsonArray(request.Metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m, ["type"] = MetricTypes[m] }).ToArray()),
            };
            if (page.Count > 0) answer["rows"] = new JsonArray(page.Select(r => (JsonNode)Json(r)).ToArray());
            foreach (var (aggregation, member, reserved) in new[] { ("TOTAL", "totals", "RESERVED_TOTAL"), ("MAXIMUM", "maximums", "RESERVED_MAX"),
                         ("MINIMUM", "minimums", "RESERVED_MIN") })
                if (request.Aggregations.Contains(aggregation))
                    answer[member] = new JsonArray(Aggregates(facts, request, ranges.Select(r => r.Name).ToList(), dimensions, aggregation, reserved, rows)
                        .Select(r => (JsonNode)Json(r)).ToArray());
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

    private sealed record Row(string[] Dimensions, string[] Metrics, double[] Numbers);

    /// <summary>What a group of channel days adds up to, from which every metric is written.</summary>
    private sealed record Totals(long Sessions, long Users, long Active, long NewUsers, long Engaged, long Views, long Events, double Seconds, long KeyEvents,
        long Items, long Carts, long Checkouts, double Revenue)
    {
        public static Totals Of(IEnumerable<DemoChannelDay> days)
        {
            var t = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            foreach (var d in days)
            {
                // Deterministic shares of the day's sessions, varying a little by day and channel.
                var wobble = (d.Date.DayNumber * 7 + d.Channel.Name.Length) % 11 / 100.0;
                var engaged = (long)Math.Round(d.Sessions * (0.52 + wobble + 0.1 * Math.Min(1, d.Channel.ConversionFactor - 0.6)));
                var views = (long)Math.Round(d.Sessions * (2.6 + wobble * 5));
                t = t with
                {
                    Sessions = t.Sessions + d.Sessions,
                    Users = t.Users + d.Users,
                    Active = t.Active + (long)Math.Round(d.Users * 0.97),
                    NewUsers = t.NewUsers + (long)Math.Round(d.Users * (0.62 - wobble)),
                    Engaged = t.Engaged + engaged,
                    Views = t.Views + views,
                    Events = t.Events + views * 3 + d.Sessions * 2,
                    Seconds = t.Seconds + d.Sessions * (140 + 600 * wobble),
                    KeyEvents = t.KeyEvents + d.KeyEvents,
                    Items = t.Items + (long)Math.Round(d.KeyEvents * 1.6),
                    Carts = t.Carts + d.KeyEvents * 4 + d.Sessions / 40,
                    Checkouts = t.Checkouts + d.KeyEvents * 2 + d.Sessions / 200,
                    Revenue = t.Revenue + (double)d.Revenue,
                };
            }
            return t;
        }

        /// <summary>The metric's value and its text as GA4 writes it: whole numbers as integers, the rest as the double it holds.</summary>
        public (double Number, string Text) Metric(string name)
        {
            static double Ratio(double over, double under) => under == 0 ? 0 : over / under;
            double value = name switch
            {
                "sessions" => Sessions,
                "totalUsers" => Users,
                "activeUsers" => Active,
                "newUsers" => NewUsers,
                "engagedSessions" => Engaged,
                "engagementRate" => Ratio(Engaged, Sessions),
                "bounceRate" => Sessions == 0 ? 0 : 1 - Ratio(Engaged, Sessions),
                "screenPageViews" => Views,
                "eventCount" => Events,
                "averageSessionDuration" => Ratio(Seconds, Sessions),
                "keyEvents" or "conversions" or "ecommercePurchases" or "transactions" => KeyEvents,
                "sessionKeyEventRate" => Math.Min(1, Ratio(KeyEvents, Sessions)),
                "itemsPurchased" => Items,
                "addToCarts" => Carts,
                "checkouts" => Checkouts,
                _ => Revenue,
            };
            // GA4 sums currency in floating point and writes the double: 17.989999999999998, not 17.99.
            var text = MetricTypes[name] == "TYPE_INTEGER" || name is "keyEvents" or "conversions"
                ? ((long)value).ToString(CultureInfo.InvariantCulture)
                : value.ToString("R", CultureInfo.InvariantCulture);
            return (value, text);
        }
    }

    /// <summary>A channel day's share of one country and device, in one of the report's date ranges.</summary>
    private sealed record Fact(string Range, DemoChannelDay Day, string Country, string Device);

    /// <summary>The demo shop's visitors by country (ISO code, name, its largest city) and device, as shares of each channel day.</summary>
    private static readonly (string Id, string Name, string City, double Share)[] Countries =
    [
        ("US", "United States", "New York", 0.62), ("CA", "Canada", "Toronto", 0.14), ("GB", "United Kingdom", "London", 0.10),
        ("DE", "Germany", "Berlin", 0.08), ("AU", "Australia", "Sydney", 0.06),
    ];

    private static readonly (string Name, double Share)[] DeviceCategories = [("mobile", 0.61), ("desktop", 0.33), ("tablet", 0.06)];

    /// <summary>
    /// A channel day split over countries and devices: every part takes its share rounded down (revenue to the cent) and the first the
    /// rest, so that the parts add up to the day exactly, whichever dimensions a report asks for.
    /// </summary>
    private static IEnumerable<Fact> Split(string range, DemoChannelDay day)
    {
        static IEnumerable<(T Key, DemoChannelDay Part)> Parts<T>(DemoChannelDay whole, IReadOnlyList<(T Key, double Share)> shares)
        {
            var parts = shares.Skip(1).Select(s => (s.Key, Part: whole with
            {
                Sessions = (long)(whole.Sessions * s.Share),
                Users = (long)(whole.Users * s.Share),
                KeyEvents = (long)(whole.KeyEvents * s.Share),
                Revenue = Math.Floor(whole.Revenue * (decimal)s.Share * 100) / 100,
            })).ToList();
            var first = whole with
            {
                Sessions = whole.Sessions - parts.Sum(p => p.Part.Sessions),
                Users = whole.Users - parts.Sum(p => p.Part.Users),
                KeyEvents = whole.KeyEvents - parts.Sum(p => p.Part.KeyEvents),
                Revenue = whole.Revenue - parts.Sum(p => p.Part.Revenue),
            };
            return parts.Prepend((shares[0].Key, first));
        }
        foreach (var (country, inCountry) in Parts(day, Countries.Select(c => (c.Id, c.Share)).ToList()))
            foreach (var (device, part) in Parts(inCountry, DeviceCategories))
                if (part.Sessions > 0) yield return new Fact(range, part, country, device);
    }

    private static string Dimension(string name, Fact fact)
    {
        var (day, range) = (fact.Day, fact.Range);
        var country = Countries.First(c => c.Id == fact.Country);
        var date = day.Date;
        var iso = ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue));
        // GA4's week starts on Sunday and January 1st is always in week 01.
        var jan1 = new DateOnly(date.Year, 1, 1);
        var week = (date.DayOfYear + (int)jan1.DayOfWeek - 1) / 7 + 1;
        var (source, medium, campaign) = Sources.GetValueOrDefault(day.Channel.Name, ("(not set)", "(not set)", "(not set)"));
        return name switch
        {
            "date" => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "year" => date.ToString("yyyy", CultureInfo.InvariantCulture),
            "month" => date.ToString("MM", CultureInfo.InvariantCulture),
            "yearMonth" => date.ToString("yyyyMM", CultureInfo.InvariantCulture),
            "week" => week.ToString("00", CultureInfo.InvariantCulture),
            "isoWeek" => iso.ToString("00", CultureInfo.InvariantCulture),
            "isoYearIsoWeek" => $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}{iso:00}",
            "dayOfWeek" => ((int)date.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            "dayOfWeekName" => date.DayOfWeek.ToString(),
            "sessionDefaultChannelGroup" or "firstUserDefaultChannelGroup" => day.Channel.Name,
            "sessionSource" => source,
            "sessionMedium" => medium,
            "sessionSourceMedium" => $"{source} / {medium}",
            "sessionCampaignName" => campaign,
            "country" => country.Name,
            "countryId" => country.Id,
            "city" => country.City,
            "deviceCategory" => fact.Device,
            "platform" => "web",
            _ => range,
        };
    }

    /// <summary>
    /// The channel days grouped by the dimensions (the date range's name among them when there are several), each group's metrics
    /// in the order asked for, rows whose metrics are all zero left out unless <c>keepEmptyRows</c>, in the order asked for.
    /// </summary>
    private static List<Row> Rows(IReadOnlyList<Fact> facts, Request request, IReadOnlyList<string> dimensions)
    {
        var grouped = facts
            .GroupBy(f => string.Join('\u001f', dimensions.Select(name => Dimension(name, f))))
            .Select(g =>
            {
                var totals = Totals.Of(g.Select(f => f.Day));
                var metrics = request.Metrics.Select(totals.Metric).ToArray();
                return new Row(g.Key.Length == 0 ? [] : g.Key.Split('\u001f'), metrics.Select(m => m.Text).ToArray(), metrics.Select(m => m.Number).ToArray());
            })
            .Where(r => request.KeepEmptyRows || r.Numbers.Any(n => n != 0))
            .ToList();

        IOrderedEnumerable<Row>? ordered = null;
        foreach (var order in request.OrderBys.DefaultIfEmpty(new OrderBy(null, request.Metrics[0], Desc: true)))
        {
            var dimension = order.Dimension is null ? -1 : dimensions.ToList().IndexOf(order.Dimension);
            var metric = order.Metric is null ? -1 : request.Metrics.IndexOf(order.Metric);
            Func<Row, IComparable> key = dimension >= 0 ? r => r.Dimensions[dimension] : r => r.Numbers[metric];
            ordered = ordered is null
                ? order.Desc ? grouped.OrderByDescending(key) : grouped.OrderBy(key)
                : order.Desc ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
        }
        return ordered!.ToList();
    }

    /// <summary>
    /// A metric aggregation's rows, one per date range: TOTAL over every day of the report (so a ratio is the ratio of the sums),
    /// MAXIMUM and MINIMUM over its rows; dimension values <c>RESERVED_TOTAL</c>, <c>RESERVED_MAX</c> or <c>RESERVED_MIN</c>.
    /// </summary>
    private static IEnumerable<Row> Aggregates(IReadOnlyList<Fact> facts, Request request, List<string> ranges,
        IReadOnlyList<string> dimensions, string aggregation, string reserved, List<Row> rows)
    {
        foreach (var range in ranges)
        {
            var values = dimensions.Select(d => d == "dateRange" ? range : reserved).ToArray();
            var inRange = ranges.Count > 1 ? rows.Where(r => r.Dimensions[^1] == range).ToList() : rows;
            if (aggregation == "TOTAL")
            {
                var totals = Totals.Of(facts.Where(f => f.Range == range).Select(f => f.Day));
                var metrics = request.Metrics.Select(totals.Metric).ToArray();
                yield return new Row(values, metrics.Select(m => m.Text).ToArray(), metrics.Select(m => m.Number).ToArray());
                continue;
            }
            var picked = request.Metrics.Select((_, i) => inRange.Count == 0 ? null
                : aggregation == "MAXIMUM" ? inRange.MaxBy(r => r.Numbers[i]) : inRange.MinBy(r => r.Numbers[i])).ToArray();
            yield return new Row(values, picked.Select((r, i) => r?.Metrics[i] ?? "0").ToArray(), picked.Select((r, i) => r?.Numbers[i] ?? 0).ToArray());
        }
    }

    private sealed class InvalidArgument(string message) : Exception(message);

    private sealed record OrderBy(string? Dimension, string? Metric, bool Desc);

    private sealed record DateRange(string StartDate, string EndDate, string? Name)
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

    private sealed record Request(List<DateRange> Ranges, List<string> Dimensions, List<string> Metrics, long Offset, int Limit, List<OrderBy> OrderBys,
        bool ReturnPropertyQuota, HashSet<string> Aggregations, bool KeepEmptyRows)
    {
        public static Request Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidArgument("The request body must be a RunReportRequest object.");
            if (!root.TryGetProperty("dateRanges", out var ranges) || ranges.ValueKind != JsonValueKind.Array || ranges.GetArrayLength() == 0)
                throw new InvalidArgument("A dateRange is required: dateRanges must name at least one.");
            if (ranges.GetArrayLength() > 4)
                throw new InvalidArgument($"Requests are limited to 4 dateRanges.\n  This request contains {ranges.GetArrayLength()} dateRanges.");
            var dateRanges = ranges.EnumerateArray().Select((range, i) =>
            {
                var name = Text(range, "name");
                if (name is not null && (name.StartsWith("date_range_", StringComparison.Ordinal) || name.StartsWith("RESERVED_", StringComparison.Ordinal)))
                    throw new InvalidArgument($"dateRanges[{i}].name cannot begin with 'date_range_' or 'RESERVED_'.");
                return new DateRange(Text(range, "startDate") ?? throw new InvalidArgument($"dateRanges[{i}].startDate is required."),
                    Text(range, "endDate") ?? throw new InvalidArgument($"dateRanges[{i}].endDate is required."), name);
            }).ToList();
            var dimensions = Names(root, "dimensions");
            if (dimensions.FirstOrDefault(d => !Ga4DataApi.Dimensions.Contains(d)) is { } unknownDimension)
                throw new InvalidArgument($"Field {unknownDimension} is not a valid dimension. {Schema}");
            if (dimensions.Count > 9) throw new InvalidArgument($"Requests are limited to 9 dimensions. This request contains {dimensions.Count} dimensions.");
            var metrics = Names(root, "metrics");
            if (metrics.Count == 0) throw new InvalidArgument("At least one metric is required.");
            if (metrics.FirstOrDefault(m => !MetricTypes.ContainsKey(m)) is { } unknownMetric)
                throw new InvalidArgument($"Field {unknownMetric} is not a valid metric. {Schema}");
            if (metrics.Count > 10) throw new InvalidArgument($"Requests are limited to 10 metrics. This request contains {metrics.Count} metrics.");
            var aggregations = new HashSet<string>(StringComparer.Ordinal);
            if (root.TryGetProperty("metricAggregations", out var asked) && asked.ValueKind == JsonValueKind.Array)
                foreach (var (aggregation, i) in asked.EnumerateArray().Select((a, i) => (a.GetString(), i)))
                    aggregations.Add(aggregation switch
                    {
                        "TOTAL" or "MAXIMUM" or "MINIMUM" => aggregation,
                        "COUNT" => throw new InvalidArgument("Metric aggregation Count is not supported in ReportRequest."),
                        _ => throw new InvalidArgument(
                            $"Invalid value at 'metric_aggregations[{i}]' "
                            + $"(type.googleapis.com/google.analytics.data.v1beta.MetricAggregation), \"{aggregation}\""),
                    });
            var keepEmptyRows = root.TryGetProperty("keepEmptyRows", out var keep) && keep.ValueKind == JsonValueKind.True;
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
                        orderBys.Add(dimensions.Contains(dimensionName) || (dimensionName == "dateRange" && dateRanges.Count > 1)
                            ? new OrderBy(dimensionName, null, desc)
                            : throw new InvalidArgument($"The orderBys dimension {dimensionName} is not in the request's dimensions."));
                    else if (order.TryGetProperty("metric", out var metric) && Text(metric, "metricName") is { } metricName)
                        orderBys.Add(metrics.Contains(metricName) ? new OrderBy(null, metricName, desc)
                            : throw new InvalidArgument($"The orderBys metric {metricName} is not in the request's metrics."));
                }
            var quota = root.TryGetProperty("returnPropertyQuota", out var q) && q.ValueKind == JsonValueKind.True;
            return new Request(dateRanges, dimensions, metrics, offset, (int)(limit == 0 ? 10_000 : limit), orderBys, quota, aggregations,
                keepEmptyRows);
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
