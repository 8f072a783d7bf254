using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Klaviyo;

/// <summary>
/// Klaviyo's API under <c>/klaviyo</c> (the base URL is the only difference from <c>https://a.klaviyo.com</c>), as the
/// Connector calls it: <c>GET /api/accounts</c>, <c>/api/metrics</c>, <c>/api/flows</c> with their flow actions and flow
/// messages, <c>/api/campaigns</c> (which needs its channel filter), and the Reporting API's
/// <c>POST /api/flow-series-reports</c> and <c>/api/campaign-values-reports</c>. JSON:API documents with <c>links.next</c>
/// cursor paging; the private key in <c>Authorization: Klaviyo-API-Key</c> and a <c>revision</c> header on every call;
/// the Reporting API's limits (a call a second, <see cref="KlaviyoSandboxOptions.ReportsPerMinute"/> a minute,
/// <see cref="KlaviyoSandboxOptions.ReportsPerDay"/> a day) answered 429 with <c>Retry-After</c>; errors as Klaviyo's
/// <c>errors</c> documents. The figures are <see cref="DemoEmail"/>'s.
/// </summary>
public sealed partial class KlaviyoApi(IOptions<SandboxOptions> options, DemoShops shops, FailureSwitches failures, TimeProvider clock)
{
    public const string PlacedOrderMetric = "RESQ6t";
    private const int PageSize = 10;

    private static readonly string[] Statistics =
    [
        "recipients", "delivered", "opens", "opens_unique", "clicks", "clicks_unique", "unsubscribes", "unsubscribe_uniques", "bounced", "spam_complaints",
        "conversions", "conversion_uniques", "conversion_value", "open_rate", "click_rate", "bounce_rate", "unsubscribe_rate", "delivery_rate",
        "revenue_per_recipient", "average_order_value",
    ];

    private readonly ConcurrentDictionary<string, (DateTimeOffset Last, DateTimeOffset Minute, int InMinute, DateOnly Day, int InDay)> _reports =
        new(StringComparer.Ordinal);

    private KlaviyoSandboxOptions Settings => options.Value.Klaviyo;

    public static IEndpointRouteBuilder MapKlaviyoApi(IEndpointRouteBuilder app)
    {
        void Get(string path, Func<KlaviyoApi, HttpContext, SandboxKlaviyoAccount, IResult> answer)
        {
            // Routing takes a path with or without its trailing slash (Klaviyo's documentation writes one, its specification none).
            app.MapGet("/klaviyo/api/" + path, (HttpContext http, KlaviyoApi api) => api.Answer(http, false, account => answer(api, http, account)));
        }
        Get("accounts", (api, http, account) => api.Accounts(http, account));
        Get("metrics", (_, http, _) => Metrics(http));
        Get("flows", (_, http, _) => Flows(http));
        Get("flows/{id}/flow-actions", (_, http, _) => FlowActions(http, (string)http.Request.RouteValues["id"]!));
        Get("flow-actions/{id}/flow-messages", (_, http, _) => FlowMessages(http, (string)http.Request.RouteValues["id"]!));
        Get("campaigns", (api, http, account) => api.Campaigns(http, account));
        foreach (var (route, series) in new[] { ("flow-series-reports", true), ("campaign-values-reports", false) })
            app.MapPost("/klaviyo/api/" + route, async (HttpContext http, KlaviyoApi api) =>
            {
                JsonNode? body;
                try
                {
                    body = await JsonNode.ParseAsync(http.Request.Body);
                }
                catch (JsonException exception)
                {
                    return Error(400, "invalid", "Invalid input.", $"The request body is not JSON: {exception.Message}", "/data");
                }
                return api.Answer(http, true, account => api.Report(http, account, body, series));
            });
        return app;
    }

    /// <summary>The checks every call goes through: the key, the revision, the failures set for tests and, for a report, its limits.</summary>
    private IResult Answer(HttpContext http, bool report, Func<SandboxKlaviyoAccount, IResult> answer)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return Error(401, "not_authenticated", "Authentication credentials were not provided.", "Authentication credentials were not provided.");
        var key = header.StartsWith("Klaviyo-API-Key ", StringComparison.Ordinal) ? header["Klaviyo-API-Key ".Length..].Trim() : "";
        var account = Settings.Accounts.FirstOrDefault(a => a.PrivateKey.Length > 0 && a.PrivateKey == key);
        if (account is null) return Error(401, "authentication_failed", "Incorrect authentication credentials.", "Incorrect authentication credentials.");
        if (!RevisionHeader().IsMatch(http.Request.Headers["revision"].ToString()))
            return Error(400, "invalid", "Invalid input.", "The revision header is required, as a date: YYYY-MM-DD (with an optional .suffix).", null,
                "revision");
        if (failures.Trip($"klaviyo:{account.Id}", account.Failures, "THROTTLED")) return Throttled(http, 1);
        if (failures.Trip($"klaviyo:{account.Id}", account.Failures, "SERVER_ERROR"))
            return Error(500, "error", "A server error occurred.", "A server error occurred.");
        if (report && Limit(http, account) is { } limited) return limited;
        return answer(account);
    }

    /// <summary>The Reporting API's fixed windows: a call a second, then the minute's and the day's.</summary>
    private IResult? Limit(HttpContext http, SandboxKlaviyoAccount account)
    {
        var now = clock.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        lock (_reports)
        {
            var (last, windowMinute, inMinute, windowDay, inDay) = _reports.GetValueOrDefault(account.Id, (DateTimeOffset.MinValue, minute, 0, day, 0));
            if (windowMinute != minute) (windowMinute, inMinute) = (minute, 0);
            if (windowDay != day) (windowDay, inDay) = (day, 0);
            if (now - last < TimeSpan.FromSeconds(1)) return Throttled(http, 1);
            if (inMinute >= Settings.ReportsPerMinute) return Throttled(http, (int)Math.Ceiling((minute.AddMinutes(1) - now).TotalSeconds));
            if (inDay >= Settings.ReportsPerDay)
                return Throttled(http, (int)Math.Ceiling((day.AddDays(1).ToDateTime(TimeOnly.MinValue) - now.UtcDateTime).TotalSeconds));
            _reports[account.Id] = (now, windowMinute, inMinute + 1, windowDay, inDay + 1);
            http.Response.Headers["RateLimit-Limit"] = Settings.ReportsPerMinute.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Remaining"] = (Settings.ReportsPerMinute - inMinute - 1).ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Reset"] = ((int)Math.Ceiling((minute.AddMinutes(1) - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return null;
        }
    }

    /// <summary>429 as Klaviyo answers it: <c>Retry-After</c> in seconds instead of the RateLimit headers, and a <c>throttled</c> error.</summary>
    private static IResult Throttled(HttpContext http, int seconds)
    {
        seconds = Math.Max(1, seconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Error(429, "throttled", "Request was throttled.", $"Request was throttled. Expected available in {seconds} second{(seconds == 1 ? "" : "s")}.");
    }

    /// <summary>Klaviyo's errors document (JSON:API): id, status, code, title, detail and, when one is to blame, the source.</summary>
    private static IResult Error(int status, string code, string title, string detail, string? pointer = null, string? parameter = null)
    {
        var error = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(), ["status"] = status, ["code"] = code, ["title"] = title, ["detail"] = detail,
        };
        if (pointer is not null || parameter is not null)
            error["source"] = parameter is null ? new JsonObject { ["pointer"] = pointer } : new JsonObject { ["parameter"] = parameter };
        error["meta"] = new JsonObject();
        return Results.Json(new JsonObject { ["errors"] = new JsonArray(error) }, statusCode: status, contentType: "application/vnd.api+json");
    }

    private static IResult Document(JsonNode document) => Results.Json(document, contentType: "application/vnd.api+json");

    private static string Url(HttpContext http, string path) => $"{http.Request.Scheme}://{http.Request.Host}/klaviyo/api/{path}";

    private static string Time(DateTimeOffset moment) => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private (SandboxShop Settings, DemoShop Shop) ShopOf(SandboxKlaviyoAccount account)
    {
        var settings = shops.Settings(account.Shop) ?? throw new InvalidOperationException($"The Klaviyo account's shop {account.Shop} is not a Sandbox shop.");
        return (settings, shops.Get(settings));
    }

    private DemoEmail Email(SandboxKlaviyoAccount account)
    {
        var (settings, shop) = ShopOf(account);
        return new DemoEmail(shop, settings.Seed, account.TimeZone);
    }

    /// <summary>A collection page of <paramref name="items"/>: <c>page[cursor]</c> the base64 of the offset, <c>links.next</c> while any follow.</summary>
    private static IResult Page(HttpContext http, string path, IReadOnlyList<JsonObject> items, int size = PageSize)
    {
        var cursor = http.Request.Query["page[cursor]"].ToString();
        var offset = 0;
        if (cursor.Length > 0)
            try
            {
                offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return Error(400, "invalid", "Invalid input.", "The page cursor is not valid.", null, "page[cursor]");
            }
        if (int.TryParse(http.Request.Query["page[size]"], out var asked)) size = Math.Clamp(asked, 1, 100);
        var query = http.Request.Query.Where(q => q.Key != "page[cursor]")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .ToList();
        string Link(int at) => Url(http, path) + "?" + string.Join('&', at == 0 ? query
            : query.Append($"{Uri.EscapeDataString("page[cursor]")}={Uri.EscapeDataString(Cursor(at))}"));
        var links = new JsonObject { ["self"] = Link(offset), ["next"] = null, ["prev"] = null };
        if (offset + size < items.Count) links["next"] = Link(offset + size);
        if (offset > 0) links["prev"] = Link(Math.Max(0, offset - size));
        return Document(new JsonObject
        {
            ["data"] = new JsonArray(items.Skip(offset).Take(size).Select(i => (JsonNode)i.DeepClone()).ToArray()), ["links"] = links,
        });
    }

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private IResult Accounts(HttpContext http, SandboxKlaviyoAccount account)
    {
        var (settings, _) = ShopOf(account);
        return Page(http, "accounts", [new JsonObject
        {
            ["type"] = "account",
            ["id"] = account.Id,
            ["attributes"] = new JsonObject
            {
                ["test_account"] = false,
                ["contact_information"] = new JsonObject
                {
                    ["default_sender_name"] = settings.Name, ["default_sender_email"] = $"hello@{settings.Domain.Replace(".myshopify.com", ".example")}",
                    ["website_url"] = $"https://{settings.Domain}", ["organization_name"] = settings.Name,
                    ["street_address"] = new JsonObject
                    {
                        ["address1"] = "1 Workshop Lane", ["address2"] = "", ["city"] = "Springfield", ["region"] = "", ["country"] = "US", ["zip"] = "00000",
                    },
                },
                ["industry"] = "Home & Garden",
                ["timezone"] = account.TimeZone,
                ["preferred_currency"] = settings.CurrencyCode,
                ["public_api_key"] = account.Id,
                ["locale"] = "en-US",
            },
            ["links"] = new JsonObject { ["self"] = Url(http, $"accounts/{account.Id}/") },
        }]);
    }

    private static IResult Metrics(HttpContext http)
    {
        JsonObject Metric(string id, string name, string integration, string category) => new()
        {
            ["type"] = "metric",
            ["id"] = id,
            ["attributes"] = new JsonObject
            {
                ["name"] = name, ["created"] = "2024-03-01T10:00:00+00:00", ["updated"] = "2024-03-01T10:00:00+00:00",
                ["integration"] = new JsonObject
                {
                    ["object"] = "integration", ["id"] = integration == "Shopify" ? "0eMvjm" : "0rG4eQ", ["name"] = integration,
                    ["category"] = category
                },
            },
            ["links"] = new JsonObject { ["self"] = Url(http, $"metrics/{id}/") },
        };
        return Page(http, "metrics",
        [
            Metric("Rcv3dE", "Received Email", "Klaviyo", "Internal"), Metric("Kx7hOp", "Opened Email", "Klaviyo", "Internal"),
            Metric("Cl1ckE", "Clicked Email", "Klaviyo", "Internal"), Metric(PlacedOrderMetric, "Placed Order", "Shopify", "eCommerce"),
            Metric("St4rtC", "Started Checkout", "Shopify", "eCommerce"),
        ], 200);
    }

    private const string Created = "2024-03-01T10:00:00+00:00";

    private static IResult Flows(HttpContext http) =>
        Page(http, "flows", DemoEmail.Flows.Select(flow => new JsonObject
        {
            ["type"] = "flow",
            ["id"] = flow.Id,
            ["attributes"] = new JsonObject
            {
                ["name"] = flow.Name, ["status"] = "live", ["archived"] = false, ["created"] = Created, ["updated"] = Created,
                ["trigger_type"] = flow.TriggerType,
            },
            ["relationships"] = new JsonObject
            {
                ["flow-actions"] = new JsonObject { ["links"] = new JsonObject { ["related"] = Url(http, $"flows/{flow.Id}/flow-actions/") } },
            },
            ["links"] = new JsonObject { ["self"] = Url(http, $"flows/{flow.Id}/") },
        }).ToList(), 50);

    /// <summary>A flow's actions: a time delay before each e-mail but the first, and each e-mail's send action with its send options.</summary>
    private static IResult FlowActions(HttpContext http, string flowId)
    {
        if (DemoEmail.Flows.FirstOrDefault(f => f.Id == flowId) is not { } flow)
            return Error(404, "not_found", "Not found.", $"A flow with id {flowId} does not exist.");
        var actions = new List<JsonObject>();
        foreach (var (email, i) in flow.Emails.Select((e, i) => (e, i)))
        {
            if (i > 0)
                actions.Add(new JsonObject
                {
                    ["type"] = "flow-action", ["id"] = $"{email.ActionId}D",
                    ["attributes"] = new JsonObject
                    {
                        ["action_type"] = "TIME_DELAY", ["status"] = "live", ["created"] = Created, ["updated"] = Created,
                        ["settings"] = new JsonObject { ["delay_seconds"] = 86_400 },
                    },
                });
            actions.Add(new JsonObject
            {
                ["type"] = "flow-action",
                ["id"] = email.ActionId,
                ["attributes"] = new JsonObject
                {
                    ["action_type"] = "SEND_EMAIL", ["status"] = "live", ["created"] = Created, ["updated"] = Created, ["settings"] = new JsonObject(),
                    ["tracking_options"] = new JsonObject { ["is_tracking_opens"] = true, ["is_tracking_clicks"] = true, ["is_add_utm"] = true },
                    ["send_options"] = new JsonObject { ["use_smart_sending"] = !email.Transactional, ["is_transactional"] = email.Transactional },
                    ["render_options"] = new JsonObject
                    {
                        ["shorten_links"] = true, ["add_org_prefix"] = false, ["add_info_link"] = false,
                        ["add_opt_out_language"] = false
                    },
                },
                ["relationships"] = new JsonObject
                {
                    ["flow-messages"] = new JsonObject
                    {
                        ["links"] = new JsonObject { ["related"] = Url(http, $"flow-actions/{email.ActionId}/flow-messages/") },
                    },
                },
                ["links"] = new JsonObject { ["self"] = Url(http, $"flow-actions/{email.ActionId}/") },
            });
        }
        return Page(http, $"flows/{flowId}/flow-actions", actions, 50);
    }

    private static IResult FlowMessages(HttpContext http, string actionId)
    {
        var email = DemoEmail.Flows.SelectMany(f => f.Emails).FirstOrDefault(e => e.ActionId == actionId);
        if (email is null && !actionId.EndsWith('D')) return Error(404, "not_found", "Not found.", $"A flow action with id {actionId} does not exist.");
        var messages = email is null ? [] : new List<JsonObject>
        {
            new()
            {
                ["type"] = "flow-message",
                ["id"] = email.MessageId,
                ["attributes"] = new JsonObject
                {
                    ["name"] = email.Name, ["channel"] = "email",
                    ["content"] = new JsonObject { ["subject"] = email.Subject, ["preview_text"] = "", ["from_email"] = "hello@workshop.example",
                        ["from_label"] = "The Workshop" },
                    ["created"] = Created, ["updated"] = Created,
                },
                ["links"] = new JsonObject { ["self"] = Url(http, $"flow-messages/{email.MessageId}/") },
            },
        };
        return Page(http, $"flow-actions/{actionId}/flow-messages", messages, 100);
    }

    /// <summary>The account's campaigns, which Klaviyo lists only for a channel: <c>filter=equals(messages.channel,'email')</c> is required.</summary>
    private IResult Campaigns(HttpContext http, SandboxKlaviyoAccount account)
    {
        var filter = http.Request.Query["filter"].ToString();
        if (ChannelFilter().Match(filter) is not { Success: true } channel)
            return Error(400, "invalid", "Invalid input.",
                "A channel filter is required. Use ?filter=equals(messages.channel,'email') for email campaigns.", null, "filter");
        var email = Email(account);
        var campaigns = channel.Groups["channel"].Value != "email" ? [] : email.Campaigns(email.FirstDay, email.LastDay).Select(c => new JsonObject
        {
            ["type"] = "campaign",
            ["id"] = c.Id,
            ["attributes"] = new JsonObject
            {
                ["name"] = c.Name, ["status"] = "Sent", ["archived"] = false,
                ["audiences"] = new JsonObject { ["included"] = new JsonArray("LsTaLL"), ["excluded"] = new JsonArray() },
                ["send_options"] = new JsonObject { ["use_smart_sending"] = true },
                ["tracking_options"] = new JsonObject { ["add_tracking_params"] = false, ["is_tracking_clicks"] = true, ["is_tracking_opens"] = true },
                ["send_strategy"] = new JsonObject
                {
                    ["method"] = "static", ["datetime"] = Time(c.SentAt),
                    ["options"] = new JsonObject { ["is_local"] = false, ["send_past_recipients_immediately"] = false },
                },
                ["created_at"] = Time(c.SentAt.AddDays(-3)), ["scheduled_at"] = Time(c.SentAt.AddDays(-1)), ["updated_at"] = Time(c.SentAt),
                ["send_time"] = Time(c.SentAt),
            },
            ["relationships"] = new JsonObject
            {
                ["campaign-messages"] = new JsonObject
                {
                    ["data"] = new JsonArray(new JsonObject { ["type"] = "campaign-message", ["id"] = c.MessageId }),
                    ["links"] = new JsonObject { ["related"] = Url(http, $"campaigns/{c.Id}/campaign-messages/") },
                },
            },
            ["links"] = new JsonObject { ["self"] = Url(http, $"campaigns/{c.Id}/") },
        }).ToList();
        return Page(http, "campaigns", campaigns);
    }

    /// <summary>
    /// A Reporting API report: a flow series (per flow e-mail, each statistic an array over <c>date_times</c>, daily) or a
    /// campaign values report (per campaign e-mail sent in the timeframe, each statistic a number). The timeframe is a
    /// <c>key</c> or a <c>start</c> and <c>end</c> whose offset is ignored: the account's zone counts.
    /// </summary>
    private IResult Report(HttpContext http, SandboxKlaviyoAccount account, JsonNode? body, bool series)
    {
        var type = series ? "flow-series-report" : "campaign-values-report";
        if (body?["data"] is not JsonObject data || data["type"]?.GetValue<string>() != type || data["attributes"] is not JsonObject attributes)
            return Error(400, "invalid", "Invalid input.", $"The body must be a JSON:API document whose data is a {type} with attributes.", "/data");
        if (attributes["statistics"] is not JsonArray asked || asked.Count == 0)
            return Error(400, "invalid", "Invalid input.", "'statistics' is required: the statistics to report.", "/data/attributes/statistics");
        var statistics = asked.Select(s => s?.GetValue<string>() ?? "").ToList();
        if (statistics.FirstOrDefault(s => !Statistics.Contains(s)) is { } unknown)
            return Error(400, "invalid", "Invalid input.", $"'{unknown}' is not a valid statistic.", "/data/attributes/statistics");
        if (attributes["conversion_metric_id"]?.GetValue<string>() is not { Length: > 0 } metric)
            return Error(400, "invalid", "Invalid input.", "'conversion_metric_id' is required.", "/data/attributes/conversion_metric_id");
        if (metric is not (PlacedOrderMetric or "St4rtC" or "Rcv3dE" or "Kx7hOp" or "Cl1ckE"))
            return Error(400, "invalid", "Invalid input.", $"The conversion metric {metric} does not exist.", "/data/attributes/conversion_metric_id");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(account.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        if (Timeframe(attributes["timeframe"], today) is not var (from, to) || to < from)
            return Error(400, "invalid", "Invalid input.", "'timeframe' must be a key (e.g. last_30_days) or a start before an end, at most a year apart.",
                "/data/attributes/timeframe");
        if (to.DayNumber - from.DayNumber >= 366)
            return Error(400, "invalid", "Invalid input.", "The timeframe may not be longer than 1 year.", "/data/attributes/timeframe");
        var filter = attributes["filter"]?.GetValue<string>() ?? "";
        var channels = SendChannelFilter().Matches(filter).SelectMany(m => m.Groups["channels"].Value.Split(',')).Select(c => c.Trim(' ', '\'', '"')).ToList();
        var email = Email(account);
        var placedOrder = metric == PlacedOrderMetric;
        var results = new JsonArray();
        if (series)
        {
            var interval = attributes["interval"]?.GetValue<string>();
            if (interval != "daily")
                return Error(400, "invalid", "Invalid input.",
                    $"'interval' must be daily in the Sandbox (hourly, weekly and monthly are not emulated), not '{interval}'.", "/data/attributes/interval");
            if (to.DayNumber - from.DayNumber >= 60)
                return Error(400, "invalid", "Invalid input.", "A daily series may cover at most 60 days.", "/data/attributes/timeframe");
            var days = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
            foreach (var flow in DemoEmail.Flows)
                foreach (var message in flow.Emails)
                {
                    if (channels.Count > 0 && !channels.Contains("email")) continue;
                    if (FlowFilter().Match(filter) is { Success: true } only && only.Groups["id"].Value != flow.Id) continue;
                    var figures = days.Select(d => email.FlowDay(flow, message, d)).ToList();
                    var values = new JsonObject();
                    foreach (var statistic in statistics)
                        values[statistic] = new JsonArray(figures.Select(f => Value(statistic, f, placedOrder)).ToArray());
                    results.Add(new JsonObject
                    {
                        ["groupings"] = new JsonObject { ["flow_id"] = flow.Id, ["send_channel"] = "email", ["flow_message_id"] = message.MessageId },
                        ["statistics"] = values,
                    });
                }
            var attributesOut = new JsonObject
            {
                ["results"] = results,
                ["date_times"] = new JsonArray(days.Select(d =>
                {
                    var midnight = d.ToDateTime(TimeOnly.MinValue);
                    var local = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
                    return (JsonNode)local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                }).ToArray()),
            };
            return Document(ReportDocument(http, type, attributesOut));
        }
        foreach (var campaign in email.Campaigns(from, to))
        {
            if (channels.Count > 0 && !channels.Contains("email")) continue;
            if (CampaignFilter().Match(filter) is { Success: true } only && only.Groups["id"].Value != campaign.Id) continue;
            var figures = email.Campaign(campaign);
            var values = new JsonObject();
            foreach (var statistic in statistics) values[statistic] = Value(statistic, figures, placedOrder);
            results.Add(new JsonObject
            {
                ["groupings"] = new JsonObject { ["send_channel"] = "email", ["campaign_id"] = campaign.Id, ["campaign_message_id"] = campaign.MessageId },
                ["statistics"] = values,
            });
        }
        return Document(ReportDocument(http, type, new JsonObject { ["results"] = results }));
    }

    private static JsonObject ReportDocument(HttpContext http, string type, JsonObject attributes) => new()
    {
        ["data"] = new JsonObject
        {
            ["type"] = type, ["id"] = Guid.NewGuid().ToString(), ["attributes"] = attributes, ["links"] = new JsonObject { ["self"] = Url(http, $"{type}s/") },
        },
    };

    /// <summary>A statistic as Klaviyo reports it: counts as integers, the value and the rates as numbers with their decimals (rates as fractions).</summary>
    private static JsonNode Value(string statistic, DemoEmailStatistics f, bool placedOrder)
    {
        static double Rate(double over, double under) => under == 0 ? 0 : Math.Round(over / under, 4);
        var value = placedOrder ? f.ConversionValue : 0;
        var conversions = value == 0 ? 0 : Math.Max(1, (long)Math.Round(value / 60m));
        return statistic switch
        {
            "recipients" => f.Recipients,
            "delivered" => f.Delivered,
            "opens" => (long)Math.Round(f.Opens * 1.3),
            "opens_unique" => f.Opens,
            "clicks" => (long)Math.Round(f.Clicks * 1.2),
            "clicks_unique" => f.Clicks,
            "unsubscribes" or "unsubscribe_uniques" => f.Unsubscribes,
            "bounced" => f.Bounced,
            "spam_complaints" => 0,
            "conversions" or "conversion_uniques" => conversions,
            "conversion_value" => (double)value,
            "open_rate" => Rate(f.Opens, f.Delivered),
            "click_rate" => Rate(f.Clicks, f.Delivered),
            "bounce_rate" => Rate(f.Bounced, f.Recipients),
            "unsubscribe_rate" => Rate(f.Unsubscribes, f.Delivered),
            "delivery_rate" => Rate(f.Delivered, f.Recipients),
            "revenue_per_recipient" => Rate((double)value, f.Recipients),
            _ => conversions == 0 ? 0 : Math.Round((double)value / conversions, 2),
        };
    }

    /// <summary>
    /// A timeframe's days: a key (today, yesterday, last_7_days…), or start and end read in the account's zone (the end's day excluded at midnight).
    /// </summary>
    private static (DateOnly From, DateOnly To)? Timeframe(JsonNode? timeframe, DateOnly today)
    {
        if (timeframe is not JsonObject frame) return null;
        if (frame["key"]?.GetValue<string>() is { } key)
        {
            var month = new DateOnly(today.Year, today.Month, 1);
            return key switch
            {
                "today" => (today, today),
                "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
                "last_7_days" => (today.AddDays(-7), today.AddDays(-1)),
                "last_30_days" => (today.AddDays(-30), today.AddDays(-1)),
                "last_90_days" => (today.AddDays(-90), today.AddDays(-1)),
                "last_365_days" => (today.AddDays(-365), today.AddDays(-1)),
                "this_month" => (month, today),
                "last_month" => (month.AddMonths(-1), month.AddDays(-1)),
                _ => null,
            };
        }
        static DateTime? Local(JsonNode? node) =>
            node?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
                ? moment.DateTime
                : null;
        if (Local(frame["start"]) is not { } start || Local(frame["end"]) is not { } end) return null;
        var last = DateOnly.FromDateTime(end);
        if (end.TimeOfDay == TimeSpan.Zero) last = last.AddDays(-1);
        return (DateOnly.FromDateTime(start), last);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(\.\w+)?$")]
    private static partial Regex RevisionHeader();

    [GeneratedRegex(@"equals\(messages\.channel,\s*['""](?<channel>[\w-]+)['""]\)")]
    private static partial Regex ChannelFilter();

    [GeneratedRegex(@"(?:equals|contains-any)\(send_channel,\s*\[?(?<channels>[^\)\]]*)\]?\)")]
    private static partial Regex SendChannelFilter();

    [GeneratedRegex(@"equals\(flow_id,\s*['""](?<id>\w+)['""]\)")]
    private static partial Regex FlowFilter();

    [GeneratedRegex(@"equals\(campaign_id,\s*['""](?<id>\w+)['""]\)")]
    private static partial Regex CampaignFilter();
}
