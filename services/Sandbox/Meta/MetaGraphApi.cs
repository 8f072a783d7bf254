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
        "campaign_id", "campaign_name", "spend", "impressions", "clicks", "actions", "action_values", "account_id", "account_name", "account_currency",
        "date_start", "date_stop", "ctr", "cpc", "cpm",
    ];

    private readonly ConcurrentDictionary<string, MetaReportRun> _reports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Hour, int Calls)> _usage = new(StringComparer.Ordinal);
    private readonly StateFile<MetaReportRun> _state;
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly StateFile<MetaAccountAccess> _accessState;
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
        _accessState = new StateFile<MetaAccountAccess>(options.Value, "meta-account-access.jsonl");
        foreach (var access in _accessState.ReadAll())
            if (access.Revoked) _revoked[access.Id] = true;
            else _revoked.TryRemove(access.Id, out _);
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
            (string version, string node, HttpContext http, MetaGraphApi meta) => meta.Handle(http, version, node, insights: true)).DisableAntiforgery();
        // The Sandbox's stand-in for a person removing the app's access to the account (or its system user's token being
        // revoked): from then on the account's token is refused with Meta's code 190, subcode 458.
        app.MapPost("/sandbox/meta/ad_accounts/{id}/revoke", (string id, MetaGraphApi meta) => meta.SetAccess(id, revoked: true));
        // Its stand-in for the person granting the app the account's access again: the same token is taken once more.
        app.MapPost("/sandbox/meta/ad_accounts/{id}/grant", (string id, MetaGraphApi meta) => meta.SetAccess(id, revoked: false));
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

    private IResult SetAccess(string id, bool revoked)
    {
        id = id.StartsWith("act_", StringComparison.Ordinal) ? id[4..] : id;
        if (Settings.AdAccounts.All(a => a.Id != id)) return Results.Json(new { errors = "Not Found" }, statusCode: 404);
        var changed = revoked ? _revoked.TryAdd(id, true) : _revoked.TryRemove(id, out _);
        if (changed) _accessState.Append(new MetaAccountAccess(id, revoked));
        return Results.Json(new { account = $"act_{id}", revoked });
    }

    private async Task<IResult> Handle(HttpContext http, string version, string node, bool insights)
    {
        try
        {
            if (!version.StartsWith('v')) throw new GraphApiError(400, 100, $"Unknown path components: /{version}", type: "OAuthException");
            var parameters = await ParametersOf(http);
            var report = node.StartsWith("act_", StringComparison.Ordinal) ? null : Report(node);
            var account = Account(report?.AccountId ?? node["act_".Length..]);
            Authenticate(http, parameters, account);
            Count(account, http, insights);
            if (report is not null)
                return insights
                    ? Page(http, account, ReadyRows(report))
                    : Results.Json(Status(report));
            if (!insights) return Results.Json(AccountFields(account));
            var ask = Ask(parameters, account);
            var tooMuch = FailureSwitches.Setting(account.Failures, "TOO_MUCH_DATA") is { } days && ask.Until.DayNumber - ask.Since.DayNumber + 1 > days;
            // As Meta documents it, the report's id is a JSON number: {"report_run_id": 6023920149050}.
            if (HttpMethods.IsPost(http.Request.Method))
                return tooMuch ? throw GraphApiError.ReduceData()
                    : Results.Json(new JsonObject { ["report_run_id"] = long.Parse(StartReport(account, ask).Id, CultureInfo.InvariantCulture) });
            if (tooMuch) throw GraphApiError.ReduceData();
            return Page(http, account, Rows(account, ask).ToList());
        }
        catch (GraphApiError error)
        {
            return error.ToResult();
        }
    }

    /// <summary>
    /// The request's parameters as the Graph API takes them: the query string and, for a POST, its form body (Meta's own examples
    /// send <c>curl -F 'level="campaign"' -F 'fields=[]'</c>); a value written as a JSON string is read as that string.
    /// </summary>
    private static async Task<Dictionary<string, string>> ParametersOf(HttpContext http)
    {
        var parameters = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (http.Request.HasFormContentType)
            foreach (var (key, value) in await http.Request.ReadFormAsync()) parameters[key] = value.ToString();
        foreach (var (key, value) in parameters)
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                try { parameters[key] = JsonSerializer.Deserialize<string>(value) ?? value; }
                catch (JsonException) { }
        return parameters;
    }

    private SandboxAdAccount Account(string id) =>
        Settings.AdAccounts.FirstOrDefault(a => a.Id == id)
        ?? throw NoSuchObject($"act_{id}");

    /// <summary>
    /// The token as Meta takes it: the <c>access_token</c> parameter (in the query or a form body), or an <c>Authorization: Bearer</c>
    /// (or <c>OAuth</c>) header.
    /// </summary>
    private void Authenticate(HttpContext http, Dictionary<string, string> parameters, SandboxAdAccount account)
    {
        var token = parameters.GetValueOrDefault("access_token") ?? "";
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
    private void Count(SandboxAdAccount account, HttpContext http, bool insights)
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
            WriteUsage(http, account, percent, regain, insights);
            throw new GraphApiError(400, code, message, subcode, transient: true);
        }
        WriteUsage(http, account, percent, regain, insights);
        if (regain > 0)
            throw new GraphApiError(400, 80000, "(#80000) There have been too many calls from this ad-account. Wait a bit and try again. "
                + "For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
                2446079, transient: true);
        if (_failures.Trip(owner, account.Failures, "TRANSIENT_2")) throw new GraphApiError(400, 2, "(#2) Service temporarily unavailable", transient: true);
    }

    /// <summary>
    /// The usage headers of every answer, and on an insights answer the Insights API's own <c>X-FB-Ads-Insights-Throttle</c>
    /// (<c>app_id_util_pct</c>, <c>acc_id_util_pct</c>), as the Insights API's limits page describes them.
    /// </summary>
    private static void WriteUsage(HttpContext http, SandboxAdAccount account, int percent, int regainMinutes, bool insights)
    {
        if (insights)
            http.Response.Headers["X-FB-Ads-Insights-Throttle"] = new JsonObject
            {
                ["app_id_util_pct"] = Math.Max(1, percent / 4), ["acc_id_util_pct"] = percent, ["ads_api_access_tier"] = "standard_access"
            }.ToJsonString();
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

    /// <summary>What an insights request asks for: its range, fields, level and time increment.</summary>
    private sealed record Insights(DateOnly Since, DateOnly Until, IReadOnlyList<string> Fields, string Level, string Increment)
    {
        /// <summary>The first and last day of the row <paramref name="day"/> falls in: the whole range, its calendar month, or its run of N days.</summary>
        public (DateOnly Start, DateOnly Stop) Bucket(DateOnly day)
        {
            if (Increment == "all_days") return (Since, Until);
            if (Increment == "monthly")
            {
                var first = new DateOnly(day.Year, day.Month, 1);
                var last = first.AddMonths(1).AddDays(-1);
                return (first < Since ? Since : first, last > Until ? Until : last);
            }
            var days = int.Parse(Increment, CultureInfo.InvariantCulture);
            var start = Since.AddDays((day.DayNumber - Since.DayNumber) / days * days);
            var stop = start.AddDays(days - 1);
            return (start, stop > Until ? Until : stop);
        }
    }

    /// <summary>
    /// The request's insights parameters with Meta's defaults where it leaves them out: <c>level</c> the node's own (an ad account's is
    /// <c>account</c>), <c>time_increment</c> <c>all_days</c>, the range <c>date_preset=last_30d</c>, <c>fields</c> impressions and spend.
    /// <c>time_range</c> is a JSON object (Meta's examples also write it with single quotes); <c>fields</c> a comma list or a JSON array.
    /// </summary>
    private Insights Ask(Dictionary<string, string> parameters, SandboxAdAccount account)
    {
        var level = parameters.GetValueOrDefault("level") is { Length: > 0 } asked ? asked : "account";
        if (level is not ("account" or "campaign"))
            throw new GraphApiError(400, 100, $"(#100) The Sandbox holds no ad sets or ads: it answers level account or campaign, not '{level}'.");
        var increment = parameters.GetValueOrDefault("time_increment") is { Length: > 0 } step ? step : "all_days";
        if (increment is not ("all_days" or "monthly")
            && !(int.TryParse(increment, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 90))
            throw new GraphApiError(400, 100, $"(#100) Param time_increment must be all_days, monthly or a number of days from 1 to 90, not '{increment}'");
        var (since, until) = parameters.GetValueOrDefault("time_range") is { Length: > 0 } range ? TimeRange(range)
            : Preset(parameters.GetValueOrDefault("date_preset") is { Length: > 0 } preset ? preset : "last_30d", account);
        if (since > until) throw new GraphApiError(400, 100, "(#100) Param time_range's since must not be after until");
        var fields = Fields(parameters.GetValueOrDefault("fields") ?? "");
        foreach (var field in fields)
            if (!KnownFields.Contains(field))
                throw new GraphApiError(400, 100, $"(#100) {field} is not valid for fields param. "
                    + $"please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values");
        return new Insights(since, until, fields.Count == 0 ? ["impressions", "spend"] : fields, level, increment);
    }

    private static List<string> Fields(string text)
    {
        if (!text.TrimStart().StartsWith('['))
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text.Replace('\'', '"')) ?? [];
        }
        catch (JsonException)
        {
            throw new GraphApiError(400, 100, "(#100) Param fields must be a comma-separated list or a JSON array of field names");
        }
    }

    private static (DateOnly Since, DateOnly Until) TimeRange(string text)
    {
        foreach (var json in new[] { text, text.Replace('\'', '"') })
            try
            {
                using var range = JsonDocument.Parse(json);
                return (DateOnly.ParseExact(range.RootElement.GetProperty("since").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateOnly.ParseExact(range.RootElement.GetProperty("until").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or FormatException or InvalidOperationException
                or ArgumentNullException)
            {
            }
        throw new GraphApiError(400, 100, "(#100) Param time_range must be a JSON object with since and until dates (YYYY-MM-DD)");
    }

    /// <summary>Meta's date presets, counted in the ad account's time zone: the <c>last_Nd</c> ones end yesterday.</summary>
    private (DateOnly Since, DateOnly Until) Preset(string preset, SandboxAdAccount account)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(account.TimeZone, out var found) ? found : TimeZoneInfo.Utc;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), zone).DateTime);
        var month = new DateOnly(today.Year, today.Month, 1);
        return preset switch
        {
            "today" => (today, today),
            "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
            "this_month" => (month, today),
            "last_month" => (month.AddMonths(-1), month.AddDays(-1)),
            "this_year" => (new DateOnly(today.Year, 1, 1), today),
            "last_year" => (new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31)),
            _ when preset.StartsWith("last_", StringComparison.Ordinal) && preset.EndsWith('d')
                   && int.TryParse(preset["last_".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days)
                   && days is 3 or 7 or 14 or 28 or 30 or 90 => (today.AddDays(-days), today.AddDays(-1)),
            _ => throw new GraphApiError(400, 100, $"(#100) date_preset must be one of today, yesterday, this_month, last_month, this_year, "
                + $"last_year, last_3d, last_7d, last_14d, last_28d, last_30d, last_90d; '{preset}' is not one the Sandbox knows"),
        };
    }

    /// <summary>
    /// A page of rows: <c>limit</c> (default 25) from the <c>after</c> cursor, with <c>paging.next</c> while any may follow. A later page
    /// larger than the account's <c>PAGE_LIMIT:rows</c> is refused with code 1, as Meta refuses one (singer-io/tap-facebook issue #65).
    /// </summary>
    private IResult Page(HttpContext http, SandboxAdAccount account, IReadOnlyList<JsonObject> rows)
    {
        var limit = int.TryParse(http.Request.Query["limit"], out var asked) ? Math.Clamp(asked, 1, 5_000) : 25;
        // Meta's after cursor names the last row of the page before: this page starts at the row after it.
        var after = http.Request.Query["after"].ToString();
        var offset = after.Length == 0 ? 0 : Offset(after) + 1;
        if (offset > 0 && FailureSwitches.Setting(account.Failures, "PAGE_LIMIT") is { } most && limit > most) throw GraphApiError.ReduceData();
        var page = rows.Skip(offset).Take(limit).ToList();
        var paging = new JsonObject();
        if (page.Count > 0 || offset > 0)
            paging["cursors"] = page.Count > 0
                ? new JsonObject { ["before"] = Cursor(offset), ["after"] = Cursor(offset + page.Count - 1) }
                : new JsonObject { ["before"] = Cursor(offset - 1), ["after"] = Cursor(offset - 1) };
        // As Meta does, a page that ends exactly at the last row still links a next page, which is empty.
        if (page.Count == limit) paging["next"] = NextUrl(http, Cursor(offset + page.Count - 1));
        return Results.Json(new JsonObject { ["data"] = new JsonArray(page.Select(r => (JsonNode)r).ToArray()), ["paging"] = paging });
    }

    /// <summary>
    /// The rows of <paramref name="ask"/>: per campaign (at campaign level) and per run of days of its time increment, each summed over its
    /// days; a campaign without delivery in a run has no row, as Meta leaves it out.
    /// </summary>
    private IEnumerable<JsonObject> Rows(SandboxAdAccount account, Insights ask)
    {
        var settings = _shops.Settings(account.Shop)
            ?? throw new GraphApiError(400, 100, $"(#100) The ad account's shop {account.Shop} is not a Sandbox shop.");
        var shop = _shops.Get(settings);
        var groups = new DemoMarketing(shop, settings.Seed).MetaDays(ask.Since, ask.Until)
            .GroupBy(d => (Campaign: ask.Level == "campaign" ? d.Campaign : null, Bucket: ask.Bucket(d.Date)));
        foreach (var group in groups)
        {
            var (spend, impressions, clicks) = (group.Sum(d => d.Spend), group.Sum(d => d.Impressions), group.Sum(d => d.Clicks));
            var (purchases, value) = (group.Sum(d => d.Purchases), group.Sum(d => d.PurchaseValue));
            var row = new JsonObject();
            string Number(decimal number) => number.ToString("0.##", CultureInfo.InvariantCulture);
            JsonArray Actions(string text) =>
                new(PurchaseActionTypes.Select(t => (JsonNode)new JsonObject { ["action_type"] = t, ["value"] = text }).ToArray());
            foreach (var field in ask.Fields)
            {
                row[field] = field switch
                {
                    // An account-level row names no campaign.
                    "campaign_id" => group.Key.Campaign?.Id,
                    "campaign_name" => group.Key.Campaign?.Name,
                    "account_id" => account.Id,
                    "account_name" => AccountName(account),
                    "account_currency" => shop.CurrencyCode,
                    "spend" => Number(spend),
                    "impressions" => impressions.ToString(CultureInfo.InvariantCulture),
                    "clicks" => clicks.ToString(CultureInfo.InvariantCulture),
                    "ctr" => (clicks * 100.0 / impressions).ToString("0.######", CultureInfo.InvariantCulture),
                    "cpc" => (spend / clicks).ToString("0.######", CultureInfo.InvariantCulture),
                    "cpm" => (spend * 1000 / impressions).ToString("0.######", CultureInfo.InvariantCulture),
                    // Meta leaves out an action list with nothing in it.
                    "actions" => purchases > 0 ? Actions(purchases.ToString(CultureInfo.InvariantCulture)) : null,
                    "action_values" => purchases > 0 ? Actions(Number(value)) : null,
                    _ => null,
                };
                if (row[field] is null) row.Remove(field);
            }
            row["date_start"] = group.Key.Bucket.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            row["date_stop"] = group.Key.Bucket.Stop.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            yield return row;
        }
    }

    private string AccountName(SandboxAdAccount account) => account.Name ?? $"{_shops.Settings(account.Shop)?.Name ?? account.Shop} ads";

    private JsonObject AccountFields(SandboxAdAccount account) => new()
    {
        ["id"] = $"act_{account.Id}",
        ["account_id"] = account.Id,
        ["name"] = AccountName(account),
        ["currency"] = _shops.Settings(account.Shop)?.CurrencyCode,
        ["timezone_name"] = account.TimeZone,
        ["account_status"] = 1,
    };

    private MetaReportRun StartReport(SandboxAdAccount account, Insights ask)
    {
        lock (_lock)
        {
            var run = new MetaReportRun((++_lastReport).ToString(CultureInfo.InvariantCulture), account.Id, ask.Since, ask.Until,
                string.Join(',', ask.Fields), _clock.GetUtcNow(), ask.Level, ask.Increment);
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
            // Near its end a report may say 100 % while still running (its percentage and status are updated apart), so only both
            // together say it is done.
            var percent = duration <= TimeSpan.Zero ? 100 : Math.Min(100, (int)(elapsed / duration * 110));
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

    private List<JsonObject> ReadyRows(MetaReportRun run)
    {
        var (status, _) = StatusOf(run);
        if (status != "Job Completed") throw GraphApiError.ReportNotReady();
        var fields = run.Fields.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
        return Rows(Account(run.AccountId), new Insights(run.Since, run.Until, fields, run.Level, run.Increment)).ToList();
    }

    /// <summary>A cursor as Meta writes one: the base64 of the offset with each padding <c>=</c> written <c>ZD</c> (0 is <c>MAZDZD</c>).</summary>
    private static string Cursor(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture))).Replace("=", "ZD", StringComparison.Ordinal);

    private static int Offset(string cursor)
    {
        if (cursor.Length == 0) return 0;
        // The padding written ZD is the one reading that leaves a whole base64 text.
        for (var pads = 0; pads <= 2; pads++)
        {
            if (pads > 0 && !cursor.EndsWith(string.Concat(Enumerable.Repeat("ZD", pads)), StringComparison.Ordinal)) break;
            var text = cursor[..^(2 * pads)] + new string('=', pads);
            if (text.Length % 4 != 0) continue;
            try
            {
                return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
            }
        }
        throw new GraphApiError(400, 100, "(#100) The after cursor is not valid.");
    }

    /// <summary>The request's own URL with <c>after</c> moved on: Meta's <c>next</c> link, token and all.</summary>
    private static string NextUrl(HttpContext http, string after)
    {
        var query = http.Request.Query.Where(q => q.Key != "after").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={Uri.EscapeDataString(after)}");
        return $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}?{string.Join('&', query)}";
    }
}

/// <summary>Whether the app's access to an ad account was taken away (or given back), as the Sandbox keeps it across restarts.</summary>
internal sealed record MetaAccountAccess(string Id, bool Revoked);
