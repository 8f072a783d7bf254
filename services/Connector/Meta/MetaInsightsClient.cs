using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Meta;

/// <summary>
/// The Meta Marketing API's campaign insights by day for a shop's ad account: <c>GET /{version}/act_{id}/insights</c>
/// with <c>level=campaign</c>, <c>time_increment=1</c> and an inclusive <c>time_range</c>, cursor paging until
/// <c>paging.next</c> is absent (an empty page may still carry it), and ranges longer than
/// <see cref="MetaOptions.AsyncAfterDays"/> through an asynchronous report. Code 1 ("Please reduce the amount of
/// data") splits the range; a report that fails or is skipped is read again synchronously in shorter ranges. Calls are
/// paced by <see cref="MetaPacer"/>; throttling (codes 4, 17, 32, 613, 80000 to 80014) and transient errors are
/// <see cref="MarketingApiException"/>s that say how long Meta asked to wait; code 190 is a bad token. The token goes
/// in the <c>Authorization</c> header only, never in a URL that is logged or archived.
/// </summary>
public sealed class MetaInsightsClient(
    HttpClient http, IOptions<MetaOptions> options, MetaPacer pacer, TimeProvider clock, ILogger<MetaInsightsClient> logger, IMetaAccounts? connected = null)
    : IMarketingSource
{
    public const string Source = "meta";
    public const string Fields = "campaign_id,campaign_name,account_currency,spend,impressions,clicks,actions,action_values";

    private MetaOptions Settings => options.Value;

    string IMarketingSource.Source => Source;

    public async ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken) =>
        await Of(shop, cancellationToken) is { } account ? $"act_{account.AdAccountId}" : null;

    /// <summary>The shop's ad account: the settings' (<c>Meta:Accounts</c>), else the one connected to the shop at run time.</summary>
    private async ValueTask<MetaAccount?> Of(string shop, CancellationToken cancellationToken) =>
        Settings.AccountOf(shop) ?? (connected is null ? null : await connected.Of(shop, cancellationToken));

    public async IAsyncEnumerable<MarketingPage> Fetch(string shop, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = await Of(shop, cancellationToken)
                      ?? throw new MarketingApiException(Source, "UNKNOWN_SHOP",
                          $"No Meta ad account is configured for {shop} (Meta:Accounts) or connected to it.", transient: false);
        if (since > until) throw new ArgumentException($"since {since} is after until {until}.", nameof(since));
        await foreach (var page in Read(account, since, until, cancellationToken)) yield return page;
    }

    /// <summary>A range longer than <see cref="MetaOptions.AsyncAfterDays"/> through an asynchronous report, a shorter one synchronously.</summary>
    private IAsyncEnumerable<MarketingPage> Read(MetaAccount account, DateOnly since, DateOnly until, CancellationToken cancellationToken) =>
        until.DayNumber - since.DayNumber + 1 > Settings.AsyncAfterDays
            ? Report(account, since, until, cancellationToken)
            : Synchronous(account, since, until, cancellationToken);

    /// <summary>
    /// One page, asked for again with half the <c>limit</c> while Meta answers "Please reduce the amount of data" (code 1, HTTP 500) to a
    /// page after the first: a smaller page is what Meta asks for there (singer-io/tap-facebook issue #65), and the pages already read stay
    /// as they are.
    /// </summary>
    private async Task<Answer> NextPage(MetaAccount account, string url, string endpoint, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await Send(account, HttpMethod.Get, url, endpoint, cancellationToken);
            }
            catch (ReduceDataException)
            {
                var limit = Parameter(url, "limit") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                    : 25;
                if (limit <= 1)
                    throw new MarketingApiException(Source, "1",
                        $"Meta cannot answer a page of the insights of act_{account.AdAccountId} even one row at a time (code 1).", transient: true);
                logger.LogWarning("Meta asked for less data on a page of act_{AdAccountId}; asking for {Limit} rows instead of {Previous}",
                    account.AdAccountId, limit / 2, limit);
                url = WithParameter(url, "limit", (limit / 2).ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private async IAsyncEnumerable<MarketingPage> Synchronous(MetaAccount account, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? url = $"{Account(account)}/insights?{Query(since, until)}&limit={Settings.PageSize}";
        var first = true;
        var pages = 0;
        while (url is not null)
        {
            Answer? answer = null;
            try
            {
                answer = first ? await Send(account, HttpMethod.Get, url, "insights", cancellationToken)
                    : await NextPage(account, url, "insights", cancellationToken);
            }
            catch (ReduceDataException) when (since < until)
            {
            }
            catch (ReduceDataException)
            {
                answer = await NextPage(account, url, "insights", cancellationToken);
            }
            if (answer is null)
            {
                // Meta cannot answer the range in one go: each half is asked for on its own.
                var middle = since.AddDays((until.DayNumber - since.DayNumber) / 2);
                logger.LogWarning("Meta asked for less data for act_{AdAccountId} from {Since} to {Until}; asking for each half", account.AdAccountId,
                    since, until);
                await foreach (var page in Synchronous(account, since, middle, cancellationToken)) yield return page;
                await foreach (var page in Synchronous(account, middle.AddDays(1), until, cancellationToken)) yield return page;
                yield break;
            }
            first = false;
            yield return answer.Page(since, until);
            url = Next(answer, ++pages);
        }
    }

    /// <summary>The asynchronous report flow: started with a POST, polled until "Job Completed", then paged like a synchronous answer.</summary>
    private async IAsyncEnumerable<MarketingPage> Report(MetaAccount account, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Answer? started = null;
        try
        {
            started = await Send(account, HttpMethod.Post, $"{Account(account)}/insights?{Query(since, until)}", "insights (async)", cancellationToken);
        }
        catch (ReduceDataException)
        {
        }
        if (started is null && since == until)
        {
            await foreach (var page in Synchronous(account, since, until, cancellationToken)) yield return page;
            yield break;
        }
        if (started is null)
        {
            // Meta refuses to start a report this large as it refuses a synchronous read: each half is asked for on its own.
            var middle = since.AddDays((until.DayNumber - since.DayNumber) / 2);
            logger.LogWarning("Meta asked for less data for the report of act_{AdAccountId} from {Since} to {Until}; asking for each half",
                account.AdAccountId, since, until);
            await foreach (var page in Read(account, since, middle, cancellationToken)) yield return page;
            await foreach (var page in Read(account, middle.AddDays(1), until, cancellationToken)) yield return page;
            yield break;
        }
        // Meta documents report_run_id as a number ({"report_run_id": 6023920149050}); some answers carry it as a string.
        var reportId = Identifier(started.Json["report_run_id"]) ?? throw Malformed("report_run_id");
        string? status = null;
        var ready = false;
        for (var poll = 1; poll <= Settings.MaxReportPolls; poll++)
        {
            var report = await Send(account, HttpMethod.Get, $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/{reportId}", "report status",
                cancellationToken);
            status = Text(report.Json["async_status"]) ?? throw Malformed("async_status");
            // A report is ready when its status says "Job Completed" and its async_percent_completion (when given) has reached 100:
            // the two are updated apart, and a report read before both say so may come back short.
            var percent = Percent(report.Json["async_percent_completion"]);
            ready = status == "Job Completed" && percent is null or >= 100;
            if (ready) break;
            if (status is "Job Failed" or "Job Skipped") break;
            await Task.Delay(TimeSpan.FromSeconds(Settings.ReportPollSeconds), clock, cancellationToken);
        }
        if (status is "Job Failed" or "Job Skipped")
        {
            logger.LogWarning("Meta's report {ReportRunId} for act_{AdAccountId} ended {AsyncStatus}; reading {Since} to {Until} synchronously instead",
                reportId, account.AdAccountId, status, since, until);
            for (var from = since; from <= until; from = from.AddDays(Settings.AsyncAfterDays))
            {
                var to = from.AddDays(Settings.AsyncAfterDays - 1) < until ? from.AddDays(Settings.AsyncAfterDays - 1) : until;
                await foreach (var page in Synchronous(account, from, to, cancellationToken)) yield return page;
            }
            yield break;
        }
        if (!ready)
            throw new MarketingApiException(Source, "REPORT_PENDING",
                $"Meta's report {reportId} for act_{account.AdAccountId} was still {status} after {Settings.MaxReportPolls} polls.", transient: true);

        string? url = $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/{reportId}/insights?limit={Settings.PageSize}";
        var pages = 0;
        while (url is not null)
        {
            var answer = await NextPage(account, url, "report insights", cancellationToken);
            yield return answer.Page(since, until);
            url = Next(answer, ++pages);
        }
    }

    private string Account(MetaAccount account) => $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/act_{account.AdAccountId}";

    /// <summary>
    /// Exchanges a short-lived user token for a long-lived one, as Meta documents it:
    /// <c>GET /{version}/oauth/access_token?grant_type=fb_exchange_token&amp;client_id=&amp;client_secret=&amp;fb_exchange_token=</c>,
    /// answered <c>{ "access_token", "token_type": "bearer", "expires_in" }</c> (about 60 days). Neither token nor the
    /// secret is logged: the request's log line names the path only.
    /// </summary>
    public async Task<(string AccessToken, DateTimeOffset? ExpiresAt)> ExchangeForLongLived(string shortLivedToken, CancellationToken cancellationToken)
    {
        if (Settings.AppId is not { Length: > 0 } appId || Settings.AppSecret is not { Length: > 0 } secret)
            throw new MarketingApiException(Source, "NOT_CONFIGURED", "Exchanging a short-lived token needs Meta:AppId and Meta:AppSecret.", transient: false);
        var url = $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/oauth/access_token?grant_type=fb_exchange_token"
                  + $"&client_id={Uri.EscapeDataString(appId)}"
                  + $"&client_secret={Uri.EscapeDataString(secret)}&fb_exchange_token={Uri.EscapeDataString(shortLivedToken)}";
        // The address carries the app's secret: what went wrong is not repeated, lest the secret be in it.
        var (response, stopwatch) = await ProviderCall.Send(token => http.GetAsync(url, token), (Source, "token_exchange"), clock,
            (_, _) => new MarketingApiException(Source, "NETWORK", "Meta did not answer the token exchange.", transient: true), cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ApiCallJournal.Record(Source, "token_exchange", clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode);
            logger.LogInformation("Meta token exchange {Path}: HTTP {StatusCode} in {DurationMs} ms", new Uri(url).AbsolutePath, (int)response.StatusCode,
                stopwatch.ElapsedMilliseconds);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            if (json?["error"] is JsonObject error)
            {
                var code = error["code"] is JsonValue c && c.TryGetValue<int>(out var number) ? number : (int?)null;
                throw new MarketingApiException(Source, code?.ToString(CultureInfo.InvariantCulture) ?? $"HTTP_{(int)response.StatusCode}",
                    $"Meta refused to exchange the token (code {code}: {Text(error["message"]) ?? "no message"}).", transient: (int)response.StatusCode >= 500);
            }
            if (!response.IsSuccessStatusCode || Text(json?["access_token"]) is not { Length: > 0 } token)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"Meta answered the token exchange with HTTP {(int)response.StatusCode} and no token.",
                    transient: (int)response.StatusCode >= 500);
            var expiresIn = json!["expires_in"] is JsonValue e && e.TryGetValue<long>(out var seconds) ? seconds
                : Identifier(json["expires_in"]) is { } digits ? long.Parse(digits, CultureInfo.InvariantCulture) : (long?)null;
            return (token, expiresIn is { } s ? clock.GetUtcNow().AddSeconds(s) : null);
        }
    }

    /// <summary>
    /// What Meta says of an ad account, read with the token being connected: <c>GET /act_{id}?fields=name,currency,timezone_name,account_status</c>.
    /// </summary>
    public async Task<MetaAccountInfo> ReadAccount(string shop, string adAccountId, string token, CancellationToken cancellationToken)
    {
        var account = new MetaAccount { Shop = shop, AdAccountId = adAccountId, AccessToken = token };
        var answer = await Send(account, HttpMethod.Get, $"{Account(account)}?fields=name,currency,timezone_name,account_status", "ad_account",
            cancellationToken);
        var status = answer.Json["account_status"] is JsonValue value && value.TryGetValue<int>(out var code) ? code
            : int.TryParse(Text(answer.Json["account_status"]), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        return new MetaAccountInfo(Text(answer.Json["name"]), Text(answer.Json["currency"]), Text(answer.Json["timezone_name"]), status);
    }

    private static string Query(DateOnly since, DateOnly until) =>
        "level=campaign&time_increment=1&time_range=" + Uri.EscapeDataString(
            $"{{\"since\":\"{since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\","
            + $"\"until\":\"{until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\"}}")
        + "&fields=" + Uri.EscapeDataString(Fields);

    private sealed record Answer(string Request, string Body, JsonObject Json, DateTimeOffset At)
    {
        public MarketingPage Page(DateOnly since, DateOnly until) =>
            new(since, until, "insights", Request, Body, Json["data"] is JsonArray rows ? rows.Count : throw Malformed("data"), At);
    }

    private sealed class ReduceDataException : Exception;

    private async Task<Answer> Send(MetaAccount account, HttpMethod method, string url, string endpoint, CancellationToken cancellationToken)
    {
        var wait = pacer.Reserve(account.AdAccountId);
        if (wait > TimeSpan.FromSeconds(Settings.MaxInlineWaitSeconds))
            throw new MarketingApiException(Source, "PACED", $"Meta's usage of act_{account.AdAccountId} asks for a pause of {wait.TotalSeconds:0} s.",
                transient: true, wait);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);

        // A next link Meta wrote may carry a token of its own: it is sent in the header, never in the URL.
        var request = WithoutToken(url);
        using var message = new HttpRequestMessage(method, request);
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", account.AccessToken);
        var path = new Uri(request).AbsolutePath;
        var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(message, token), (Source, endpoint), clock,
            (exception, elapsed) =>
            {
                logger.LogWarning("Meta {Endpoint} for act_{AdAccountId} failed after {DurationMs} ms: {Error}", endpoint, account.AdAccountId,
                    (long)elapsed.TotalMilliseconds, exception.Message);
                return new MarketingApiException(Source, "NETWORK", $"Meta did not answer {endpoint} for act_{account.AdAccountId}: {exception.Message}",
                    transient: true);
            },
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var usage = MetaUsage.From(response, account.AdAccountId);
            pacer.Record(account.AdAccountId, usage);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            var error = json?["error"] as JsonObject;
            var code = error?["code"] is JsonValue c && c.TryGetValue<int>(out var number) ? number : (int?)null;
            var throttled = code is 4 or 17 or 32 or 613 or (>= 80000 and <= 80014);
            ApiCallJournal.Record(Source, endpoint, clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode, (json?["data"] as JsonArray)?.Count ?? 0,
                throttled, code is null ? null : $"CODE_{code}", usage.Percent);
            logger.LogInformation(
                "Meta {Endpoint} {Path} for act_{AdAccountId} of {ShopDomain}: HTTP {StatusCode} in {DurationMs} ms, {Records} rows, usage {UsagePercent}%",
                endpoint, path, account.AdAccountId, account.Shop, (int)response.StatusCode, stopwatch.ElapsedMilliseconds,
                (json?["data"] as JsonArray)?.Count ?? 0, usage.Percent);

            if (error is not null)
            {
                var refusal = Refusal(account, endpoint, response.StatusCode, error, code, throttled, usage);
                // A connected account's token Meta no longer takes (revoked, expired): its connection is failing.
                if (code == 190 && account.Connected && connected is not null && refusal is MarketingApiException refused)
                    await connected.Refused(account.AdAccountId, refused.Message, CancellationToken.None);
                throw refusal;
            }
            if (json is null)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"Meta answered {endpoint} for act_{account.AdAccountId} with HTTP {(int)response.StatusCode} and no JSON.",
                    transient: (int)response.StatusCode >= 500);
            if (!response.IsSuccessStatusCode)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"Meta answered {endpoint} for act_{account.AdAccountId} with HTTP {(int)response.StatusCode}.",
                    transient: (int)response.StatusCode >= 500);
            return new Answer(path + new Uri(request).Query, body, json, clock.GetUtcNow());
        }
    }

    private Exception Refusal(MetaAccount account, string endpoint, HttpStatusCode status, JsonObject error, int? code, bool throttled, MetaUsage usage)
    {
        var message = Text(error["message"]) ?? "no message";
        var subcode = error["error_subcode"] is JsonValue s && s.TryGetValue<int>(out var sub) ? $"/{sub}" : "";
        var transientFlag = error["is_transient"] is JsonValue t && t.TryGetValue<bool>(out var flag) && flag;
        // "Please reduce the amount of data" (code 1, HTTP 500), and the data-per-call limit of the Insights API's best practices (code 100,
        // subcode 1487534): both ask for a smaller question.
        if ((code == 1 && status == HttpStatusCode.InternalServerError) || (code == 100 && subcode == "/1487534")) return new ReduceDataException();
        if (code == 190)
            return new MarketingApiException(Source, "190",
                $"Meta rejected the access token of act_{account.AdAccountId} ({account.Shop}): "
                + $"it is invalid or has expired (code 190{subcode}: {message}). Renew it in Meta:Accounts or in the account's connection.",
                transient: false);
        if (throttled)
            return new MarketingApiException(Source, code!.Value.ToString(CultureInfo.InvariantCulture),
                $"Meta throttled act_{account.AdAccountId} (code {code}{subcode}: {message}).", transient: true,
                usage.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : null);
        var transient = transientFlag || code == 2 || (int)status >= 500;
        return new MarketingApiException(Source, code?.ToString(CultureInfo.InvariantCulture) ?? $"HTTP_{(int)status}",
            $"Meta refused {endpoint} for act_{account.AdAccountId} (code {code}{subcode}: {message}).", transient);
    }

    /// <summary>The URL without any <c>access_token</c> parameter.</summary>
    private static string WithoutToken(string url) => Rewritten(url, "access_token", null);

    private static string? Parameter(string url, string name) =>
        Query(url).Where(p => p.StartsWith(name + "=", StringComparison.Ordinal)).Select(p => p[(name.Length + 1)..]).FirstOrDefault();

    private static string WithParameter(string url, string name, string value) => Rewritten(url, name, value);

    /// <summary>The query's parameters as written (<c>name=value</c>), in order; none without a query.</summary>
    private static IEnumerable<string> Query(string url) => url.IndexOf('?') is var question and >= 0 ? url[(question + 1)..].Split('&') : [];

    /// <summary>The url with its parameter <paramref name="name"/> left out, and given <paramref name="value"/> at the end when there is one.</summary>
    private static string Rewritten(string url, string name, string? value)
    {
        var question = url.IndexOf('?');
        var kept = Query(url).Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal));
        if (value is not null) kept = kept.Append($"{name}={value}");
        var query = string.Join('&', kept);
        return $"{(question < 0 ? url : url[..question])}{(query.Length == 0 && question < 0 ? "" : $"?{query}")}";
    }

    /// <summary>A percentage Meta may write as a number or a string.</summary>
    private static double? Percent(JsonNode? node) =>
        node is not JsonValue value ? null
        : value.TryGetValue<double>(out var number) ? number
        : value.TryGetValue<string>(out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>An id Meta may write as a JSON number or a string of digits.</summary>
    private static string? Identifier(JsonNode? node) =>
        node is not JsonValue value ? null
        : value.TryGetValue<long>(out var number) ? number.ToString(CultureInfo.InvariantCulture)
        : value.TryGetValue<string>(out var text) && text.Length > 0 && text.All(char.IsAsciiDigit) ? text
        : null;

    /// <summary>
    /// The page after <paramref name="answer"/>: its <c>paging.next</c>, followed only to Meta's own origin (the configured
    /// base URL's scheme, host and port: a link elsewhere would carry the token there) and for at most
    /// <see cref="MetaOptions.MaxPages"/> pages of one read.
    /// </summary>
    private string? Next(Answer answer, int pages)
    {
        if (answer.Json["paging"]?["next"] is not JsonValue next || !next.TryGetValue<string>(out var link)) return null;
        var origin = new Uri(Settings.BaseUrl);
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != origin.Scheme
            || !string.Equals(uri.Host, origin.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != origin.Port)
            throw new MarketingApiException(Source, "MALFORMED_RESPONSE",
                $"Meta's paging.next leads off {origin.GetLeftPart(UriPartial.Authority)}; it is not followed.", transient: false);
        if (pages >= Settings.MaxPages)
            throw new MarketingApiException(Source, "TOO_MANY_PAGES", $"Meta's answer ran past {Settings.MaxPages} pages; the rest is not read.",
                transient: false);
        return link;
    }

    private static MarketingApiException Malformed(string what) =>
        new(Source, "MALFORMED_RESPONSE", $"Meta's answer has no valid {what}.", transient: false);
}
