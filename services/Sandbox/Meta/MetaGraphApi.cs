using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Meta;

/// <summary>
/// The Meta Marketing API's insights, at the Graph API's paths under <c>/meta</c> (the base URL is the only
/// difference from <c>https://graph.facebook.com</c>): <c>GET /{version}/act_{id}/insights</c> at campaign level by
/// day with cursor paging, the asynchronous report flow (<c>POST .../insights</c>, <c>GET /{report_run_id}</c>,
/// <c>GET /{report_run_id}/insights</c>), <c>GET /{version}/act_{id}</c>, the usage headers on every answer, and
/// Meta's errors: HTTP 400 with code 190 for a bad token, 80000/17/4/613 when throttled, HTTP 500 with code 1 for a
/// range too large. Every number is a string, as Meta writes it.
/// </summary>
public sealed class MetaGraphApi
{
    private static readonly string[] PurchaseActionTypes = ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"];
    private static readonly HashSet<string> KnownFields =
    [
        "campaign_id", "campaign_name", "spend", "impressions", "clicks", "actions", "action_values", "account_id", "account_currency", "date_start",
        "date_stop", "ctr", "cpc",
    ];

    private readonly ConcurrentDictionary<string, MetaReportRun> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Hour, int Calls)> _usage = new(StringComparer.Ordinal);
    private readonly StateFile<MetaReportRun> _state;
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly StateFile<string> _revokedState;
    private readonly Lock _lock = new();
    private readonly IOptions<SandboxOptions> _options;
    private readonly DemoShops _shops;
    private readonly FailureSwitches _failures;
    private readonly TimeProvider _clock;
    private long _lastReport = 6_120_000_000_000;

    /// <summary>Report runs are read back from the state file at start, as bulk operations are.</summary>
    public MetaGraphApi(IOptions<SandboxOptions> options, DemoShops shops, FailureSwitches failures, TimeProvider clock)
    {
        (_options, _shops, _failures, _clock) = (options, shops, failures, clock);
        _state = new StateFile<MetaReportRun>(options.Value, "meta-report-runs.jsonl");
        _revokedState = new StateFile<string>(options.Value, "meta-revoked-tokens.jsonl");
        foreach (var id in _revokedState.ReadAll()) _revoked[id] = true;
        foreach (var run in _state.ReadAll())
        {
            _reports[run.Id] = run;
            _lastReport = Math.Max(_lastReport, long.Parse(run.Id, CultureInfo.InvariantCulture));
        }
    }

    private MetaSandboxOptions Settings => _options.Value.Meta;

    public static IEndpointRouteBuilder MapMetaGraphApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/meta/{version}/oauth/access_token", (string version, HttpContext http, MetaGraphApi meta) => meta.Exchange(http));
        app.MapGet("/meta/{version}/{node}",
            (string version, string node, HttpContext http, MetaGraphApi meta) => meta.Handle(http, version, node, insights: false));
        app.MapGet("/meta/{version}/{node}/insights",
            (string version, string node, HttpContext http, MetaGraphApi meta) => meta.Handle(http, version, node, insights: true));
        app.MapPost("/meta/{version}/{node}/insights",
            (string version, string node, HttpContext http, MetaGraphApi meta) => meta.Handle(http, version, node, insights: true));
        // The Sandbox's stand-in for a person removing the app's access to the account (or its system user's token being
        // revoked): from then on the account's token is refused with Meta's code 190, subcode 458.
        app.MapPost("/sandbox/meta/ad_accounts/{id}/revoke", (string id, MetaGraphApi meta) => meta.Revoke(id));
        return app;
    }

    /// <summary>
    /// The exchange of a short-lived user token for a long-lived one, as Meta documents it (<c>grant_type=fb_exchange_token</c>,
    /// the app's <c>client_id</c> and <c>client_secret</c>): <c>{ "access_token", "token_type": "bearer", "expires_in" }</c>;
    /// another app's secret is "Error validating client secret." (code 1), a token it does not know code 190.
    /// </summary>
    private IResult Exchange(HttpContext http)
    {
        var query = http.Request.Query;
        try
        {
            foreach (var name in new[] { "grant_type", "client_id", "client_secret", "fb_exchange_token" })
                if (string.IsNullOrEmpty(query[name])) throw new GraphApiError(400, 100, $"Missing {name} parameter.");
            if (query["grant_type"] != "fb_exchange_token") throw new GraphApiError(400, 100, "Unsupported grant_type.");
            if (query["client_id"] != Settings.AppId) throw new GraphApiError(400, 101, "Error validating application. Invalid application ID.");
            if (query["client_secret"] != Settings.AppSecret) throw new GraphApiError(400, 1, "Error validating client secret.");
            var account = Settings.AdAccounts.FirstOrDefault(a => a.ShortLivedToken is { Length: > 0 } token && token == query["fb_exchange_token"])
                          ?? throw new GraphApiError(400, 190, "Invalid OAuth access token - Cannot parse access token");
            return Results.Json(new JsonObject
            {
                ["access_token"] = account.AccessToken, ["token_type"] = "bearer", ["expires_in"] = Settings.LongLivedTokenSeconds,
            });
        }
        catch (GraphApiError error)
        {
            return error.ToResult();
        }
    }

    private IResult Revoke(string id)
    {
        id = id.StartsWith("act_", StringComparison.Ordinal) ? id[4..] : id;
        if (Settings.AdAccounts.All(a => a.Id != id)) return Results.Json(new { errors = "Not Found" }, statusCode: 404);
        if (_revoked.TryAdd(id, true)) _revokedState.Append(id);
        return Results.Json(new { account = $"act_{id}", revoked = true });
    }

    private IResult Handle(HttpContext http, string version, string node, bool insights)
    {
        try
        {
            if (!version.StartsWith('v')) throw new GraphApiError(400, 100, $"Unknown path components: /{version}", type: "OAuthException");
            var report = node.StartsWith("act_", StringComparison.Ordinal) ? null : Report(node);
            var account = Account(report?.AccountId ?? node["act_".Length..]);
            Authenticate(http, account);
            Count(account, http);
            if (report is not null)
                return insights ? Page(http, account, report.Since, report.Until, report.Fields, ReadyRows(report)) : Results.Json(Status(report));
            if (!insights) return Results.Json(AccountFields(account));
            var (since, until, fields) = Parameters(http);
            // As Meta documents it, the report's id is a JSON number: {"report_run_id": 6023920149050}.
            if (HttpMethods.IsPost(http.Request.Method))
                return Results.Json(
                    new JsonObject { ["report_run_id"] = long.Parse(StartReport(account, since, until, fields).Id, CultureInfo.InvariantCulture) });
            if (FailureSwitches.Setting(account.Failures, "TOO_MUCH_DATA") is { } days && until.DayNumber - since.DayNumber + 1 > days)
                throw new GraphApiError(500, 1, "Please reduce the amount of data you're asking for, then retry your request");
            return Page(http, account, since, until, fields, null);
        }
        catch (GraphApiError error)
        {
            return error.ToResult();
        }
    }

    private SandboxAdAccount Account(string id) =>
        Settings.AdAccounts.FirstOrDefault(a => a.Id == id)
        ?? throw NoSuchObject($"act_{id}");

    /// <summary>The token as Meta takes it: the <c>access_token</c> parameter, or an <c>Authorization: Bearer</c> (or <c>OAuth</c>) header.</summary>
    private void Authenticate(HttpContext http, SandboxAdAccount account)
    {
        var token = http.Request.Query["access_token"].ToString();
        if (token.Length == 0 && http.Request.Headers.Authorization.ToString() is { Length: > 0 } header)
            token = header.Split(' ', 2) is [var scheme, var value] && scheme is "Bearer" or "OAuth" ? value : "";
        if (token.Length == 0) throw new GraphApiError(400, 104, "An access token is required to request this resource.");
        if (token != account.AccessToken) throw new GraphApiError(400, 190, "Invalid OAuth access token - Cannot parse access token");
        if (_revoked.ContainsKey(account.Id))
            throw new GraphApiError(400, 190, $"Error validating access token: The user has not authorized application {Settings.AppId}.", 458);
        if (_failures.Trip($"meta:{account.Id}", account.Failures, "TOKEN_EXPIRED"))
            throw new GraphApiError(400, 190,
                $"Error validating access token: Session has expired on {_clock.GetUtcNow().AddHours(-1):dddd, dd-MMM-yy HH:mm:ss} UTC. "
                + $"The current time is {_clock.GetUtcNow():dddd, dd-MMM-yy HH:mm:ss} UTC.", 463);
    }

    /// <summary>Counts the call against the account's hour and writes the usage headers; throttles past 100 % or when a failure says so.</summary>
    private void Count(SandboxAdAccount account, HttpContext http)
    {
        var now = _clock.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var (_, calls) = _usage.AddOrUpdate(account.Id, _ => (hour, 1), (_, current) => current.Hour == hour ? (hour, current.Calls + 1) : (hour, 1));
        var percent = FailureSwitches.Has(account.Failures, "USAGE_NEAR") ? 95 : Math.Min(100, calls * 100 / Settings.CallsPerHour);
        var regain = calls > Settings.CallsPerHour ? (int)Math.Ceiling((hour.AddHours(1) - now).TotalMinutes) : 0;
        var owner = $"meta:{account.Id}";
        foreach (var (mode, code, subcode, message) in new[]
                 {
                     ("RATE_LIMIT_80000", 80000, 2446079, "(#80000) There have been too many calls from this ad-account. Wait a bit and try again. "
                         + "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting."),
                     ("RATE_LIMIT_17", 17, 2446079, "(#17) User request limit reached"),
                     ("RATE_LIMIT_4", 4, 1504022, "(#4) There have been too many calls from this app. Wait a bit and try again."),
                     ("RATE_LIMIT_613", 613, 1487742, "(#613) There have been too many calls from this ad-account. Please wait a bit and try again."),
                 })
        {
            if (!_failures.Trip(owner, account.Failures, mode)) continue;
            (percent, regain) = (100, Math.Max(regain, 1));
            WriteUsage(http, account, percent, regain);
            throw new GraphApiError(400, code, message, subcode, transient: true);
        }
        WriteUsage(http, account, percent, regain);
        if (regain > 0)
            throw new GraphApiError(400, 80000, "(#80000) There have been too many calls from this ad-account. Wait a bit and try again. "
                + "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
                2446079, transient: true);
        if (_failures.Trip(owner, account.Failures, "TRANSIENT_2")) throw new GraphApiError(400, 2, "(#2) Service temporarily unavailable", transient: true);
    }

    private static void WriteUsage(HttpContext http, SandboxAdAccount account, int percent, int regainMinutes)
    {
        http.Response.Headers["X-Business-Use-Case-Usage"] = new JsonObject
        {
            [account.Id] = new JsonArray(new JsonObject
            {
                ["type"] = "ads_insights",
                ["call_count"] = percent,
                ["total_cputime"] = Math.Max(1, percent / 2),
                ["total_time"] = Math.Max(1, percent / 2),
                ["estimated_time_to_regain_access"] = regainMinutes,
                ["ads_api_access_tier"] = "standard_access",
            }),
        }.ToJsonString();
        http.Response.Headers["X-Ad-Account-Usage"] = new JsonObject
        {
            ["acc_id_util_pct"] = percent, ["reset_time_duration"] = regainMinutes * 60, ["ads_api_access_tier"] = "standard_access"
        }.ToJsonString();
        http.Response.Headers["X-App-Usage"] = new JsonObject
        {
            ["call_count"] = Math.Max(1, percent / 4), ["total_time"] = Math.Max(1, percent / 4), ["total_cputime"] = Math.Max(1, percent / 4)
        }.ToJsonString();
    }

    private static (DateOnly Since, DateOnly Until, string Fields) Parameters(HttpContext http)
    {
        var query = http.Request.Query;
        if (query["level"].ToString() is { Length: > 0 } level && level != "campaign")
            throw new GraphApiError(400, 100, $"(#100) The Sandbox answers level=campaign only, not '{level}'.");
        if (query["time_increment"].ToString() is { Length: > 0 } increment && increment != "1")
            throw new GraphApiError(400, 100, $"(#100) The Sandbox answers time_increment=1 only, not '{increment}'.");
        DateOnly since, until;
        try
        {
            using var range = JsonDocument.Parse(query["time_range"].ToString());
            since = DateOnly.ParseExact(range.RootElement.GetProperty("since").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            until = DateOnly.ParseExact(range.RootElement.GetProperty("until").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or FormatException or InvalidOperationException
            or ArgumentNullException)
        {
            throw new GraphApiError(400, 100, "(#100) Param time_range must be a JSON object with since and until dates (YYYY-MM-DD)");
        }
        if (since > until) throw new GraphApiError(400, 100, "(#100) Param time_range's since must not be after until");
        var fields = query["fields"].ToString();
        foreach (var field in fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!KnownFields.Contains(field))
                throw new GraphApiError(400, 100, $"(#100) {field} is not valid for fields param. "
                    + $"please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values");
        return (since, until, fields);
    }

    /// <summary>A page of rows: <c>limit</c> (default 25) from the <c>after</c> cursor, with <c>paging.next</c> while any may follow.</summary>
    private IResult Page(HttpContext http, SandboxAdAccount account, DateOnly since, DateOnly until, string fields, IReadOnlyList<JsonObject>? ready)
    {
        var limit = int.TryParse(http.Request.Query["limit"], out var asked) ? Math.Clamp(asked, 1, 5_000) : 25;
        var offset = Offset(http.Request.Query["after"].ToString());
        var rows = ready ?? Rows(account, since, until, fields).ToList();
        var page = rows.Skip(offset).Take(limit).ToList();
        var paging = new JsonObject();
        if (page.Count > 0 || offset > 0)
            paging["cursors"] = new JsonObject { ["before"] = Cursor(offset), ["after"] = Cursor(offset + page.Count) };
        // As Meta does, a page that ends exactly at the last row still links a next page, which is empty.
        if (page.Count == limit) paging["next"] = NextUrl(http, Cursor(offset + page.Count));
        return Results.Json(new JsonObject { ["data"] = new JsonArray(page.Select(r => (JsonNode)r).ToArray()), ["paging"] = paging });
    }

    private IEnumerable<JsonObject> Rows(SandboxAdAccount account, DateOnly since, DateOnly until, string fields)
    {
        var wanted = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (wanted.Count == 0) wanted = ["spend", "impressions"];
        var settings = _shops.Settings(account.Shop)
            ?? throw new GraphApiError(400, 100, $"(#100) The ad account's shop {account.Shop} is not a Sandbox shop.");
        var shop = _shops.Get(settings);
        foreach (var day in new DemoMarketing(shop, settings.Seed).MetaDays(since, until))
        {
            var row = new JsonObject();
            string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
            JsonArray Actions(string value) =>
                new(PurchaseActionTypes.Select(t => (JsonNode)new JsonObject { ["action_type"] = t, ["value"] = value }).ToArray());
            foreach (var field in wanted)
            {
                row[field] = field switch
                {
                    "campaign_id" => day.Campaign.Id,
                    "campaign_name" => day.Campaign.Name,
                    "account_id" => account.Id,
                    "account_currency" => shop.CurrencyCode,
                    "spend" => Number(day.Spend),
                    "impressions" => day.Impressions.ToString(CultureInfo.InvariantCulture),
                    "clicks" => day.Clicks.ToString(CultureInfo.InvariantCulture),
                    "ctr" => (day.Clicks * 100.0 / day.Impressions).ToString("0.######", CultureInfo.InvariantCulture),
                    "cpc" => (day.Spend / day.Clicks).ToString("0.######", CultureInfo.InvariantCulture),
                    // Meta leaves out an action list with nothing in it.
                    "actions" => day.Purchases > 0 ? Actions(day.Purchases.ToString(CultureInfo.InvariantCulture)) : null,
                    "action_values" => day.Purchases > 0 ? Actions(Number(day.PurchaseValue)) : null,
                    _ => null,
                };
                if (row[field] is null) row.Remove(field);
            }
            row["date_start"] = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            row["date_stop"] = day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            yield return row;
        }
    }

    private JsonObject AccountFields(SandboxAdAccount account) => new()
    {
        ["id"] = $"act_{account.Id}",
        ["account_id"] = account.Id,
        ["name"] = account.Name ?? $"{_shops.Settings(account.Shop)?.Name ?? account.Shop} ads",
        ["currency"] = _shops.Settings(account.Shop)?.CurrencyCode,
        ["timezone_name"] = account.TimeZone,
        ["account_status"] = 1,
    };

    private MetaReportRun StartReport(SandboxAdAccount account, DateOnly since, DateOnly until, string fields)
    {
        lock (_lock)
        {
            var run = new MetaReportRun((++_lastReport).ToString(CultureInfo.InvariantCulture), account.Id, since, until, fields, _clock.GetUtcNow());
            _reports[run.Id] = run;
            _state.Append(run);
            return run;
        }
    }

    private MetaReportRun Report(string id) =>
        _reports.TryGetValue(id, out var run)
            ? run
            : throw NoSuchObject(id);

    /// <summary>Meta's answer for an id it has no object for (or none the token may see).</summary>
    private static GraphApiError NoSuchObject(string id) => new(400, 100,
        $"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. "
        + $"Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        33, type: "GraphMethodException");

    private (string Status, int Percent) StatusOf(MetaReportRun run)
    {
        var account = Account(run.AccountId);
        var duration = TimeSpan.FromMilliseconds(Settings.ReportDurationMilliseconds);
        var elapsed = _clock.GetUtcNow() - run.CreatedAt;
        if (elapsed < duration)
        {
            var percent = duration <= TimeSpan.Zero ? 100 : (int)(elapsed / duration * 100);
            return (percent < 10 ? "Job Not Started" : percent < 30 ? "Job Started" : "Job Running", percent);
        }
        if (FailureSwitches.Has(account.Failures, "ASYNC_FAILED")) return ("Job Failed", 100);
        if (FailureSwitches.Has(account.Failures, "ASYNC_SKIPPED")) return ("Job Skipped", 100);
        return ("Job Completed", 100);
    }

    private JsonObject Status(MetaReportRun run)
    {
        var (status, percent) = StatusOf(run);
        var json = new JsonObject
        {
            ["id"] = run.Id,
            ["account_id"] = run.AccountId,
            ["time_ref"] = run.CreatedAt.ToUnixTimeSeconds(),
            ["async_status"] = status,
            ["async_percent_completion"] = percent,
            ["date_start"] = run.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["date_stop"] = run.Until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (status == "Job Completed")
            json["time_completed"] = (run.CreatedAt + TimeSpan.FromMilliseconds(Settings.ReportDurationMilliseconds)).ToUnixTimeSeconds();
        if (status == "Job Failed")
            (json["error_code"], json["error_subcode"], json["error_message"]) = (-2, 2490547, "Report Failed");
        return json;
    }

    private List<JsonObject>? ReadyRows(MetaReportRun run)
    {
        var (status, _) = StatusOf(run);
        if (status != "Job Completed") throw new GraphApiError(400, 100, $"(#100) Report {run.Id} is not complete: its async_status is {status}.");
        return Rows(Account(run.AccountId), run.Since, run.Until, run.Fields).ToList();
    }

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static int Offset(string cursor)
    {
        if (cursor.Length == 0) return 0;
        try
        {
            var padded = cursor + new string('=', (4 - cursor.Length % 4) % 4);
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            throw new GraphApiError(400, 100, "(#100) The after cursor is not valid.");
        }
    }

    /// <summary>The request's own URL with <c>after</c> moved on: Meta's <c>next</c> link, token and all.</summary>
    private static string NextUrl(HttpContext http, string after)
    {
        var query = http.Request.Query.Where(q => q.Key != "after").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={Uri.EscapeDataString(after)}");
        return $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?{string.Join('&', query)}";
    }
}
