using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Klaviyo;

/// <summary>
/// A shop's e-mail from Klaviyo's API (<c>https://a.klaviyo.com/api</c>), every answer a page to archive as it came: the
/// account (its time zone and currency), the metrics (to find Shopify's "Placed Order", the conversion metric of the
/// reports), the flows with their actions (a send action says whether its e-mail is transactional) and messages, the
/// e-mail campaigns (with their send times), then the Reporting API: a flow series report by day per 60 days at most
/// and a campaign values report per year at most, with recipients, delivered, unique opens and clicks, unsubscribes,
/// bounces and the conversion value. JSON:API documents paged through <c>links.next</c> (only on Klaviyo's origin); the
/// private key in <c>Authorization: Klaviyo-API-Key</c>, never in a URL; the <see cref="KlaviyoOptions.Revision"/> on
/// every call. A 429's <c>Retry-After</c> is waited through when short, else the fetch is deferred with it; a 401 or 403
/// refuses for good.
/// </summary>
public sealed class KlaviyoClient(HttpClient http, IOptions<KlaviyoOptions> options, TimeProvider clock, ILogger<KlaviyoClient> logger,
    IKlaviyoAccounts? connected = null) : IMarketingSource
{
    public const string Source = "klaviyo";

    /// <summary>What the e-mail marts need of a report: Klaviyo's statistic names.</summary>
    public static readonly string[] Statistics =
        ["recipients", "delivered", "opens_unique", "clicks_unique", "unsubscribes", "bounced", "conversion_value", "conversions"];

    /// <summary>Klaviyo's longest daily series (60 days) and values report (a year).</summary>
    public const int SeriesDays = 60;
    public const int ValuesDays = 365;

    private KlaviyoOptions Settings => options.Value;

    string IMarketingSource.Source => Source;

    public async ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken) =>
        await Of(shop, cancellationToken) is { } account ? account.AccountId ?? $"klaviyo:{shop}" : null;

    /// <summary>The shop's Klaviyo account: the settings' (<c>Klaviyo:Accounts</c>), else the one connected to the shop at run time.</summary>
    private async ValueTask<KlaviyoAccount?> Of(string shop, CancellationToken cancellationToken) =>
        Settings.AccountOf(shop) ?? (connected is null ? null : await connected.Of(shop, cancellationToken));

    public async IAsyncEnumerable<MarketingPage> Fetch(string shop, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var account = await Of(shop, cancellationToken)
                      ?? throw new MarketingApiException(Source, "UNKNOWN_SHOP",
                          $"No Klaviyo account is configured for {shop} (Klaviyo:Accounts) or connected to it.", transient: false);
        if (since > until) throw new ArgumentException($"since {since} is after until {until}.", nameof(since));
        var key = account.PrivateKey;

        Answer accounts;
        try
        {
            accounts = await Get(key, "accounts", "api/accounts", since, until, cancellationToken);
        }
        catch (MarketingApiException refused) when (account.Connected && connected is not null && !refused.Transient && refused.Code is
            "not_authenticated" or "authentication_failed" or "permission_denied" or "HTTP_401" or "HTTP_403")
        {
            // A connected account's key Klaviyo no longer takes (revoked, rotated): its connection is failing.
            await connected.Refused(account.AccountId!, refused.Message, CancellationToken.None);
            throw;
        }
        yield return accounts.Page;
        var zone = Text(accounts.Json["data"]?[0]?["attributes"]?["timezone"]) ?? "UTC";

        string? conversionMetric = null;
        await foreach (var page in List(key, "metrics", "api/metrics", since, until, cancellationToken))
        {
            yield return page.Page;
            // Shopify's "Placed Order" before any other integration's.
            foreach (var metric in Items(page.Json))
                if (Text(metric["attributes"]?["name"]) == "Placed Order"
                    && (conversionMetric is null || Text(metric["attributes"]?["integration"]?["name"]) == "Shopify"))
                    conversionMetric = Text(metric["id"]);
        }
        if (conversionMetric is null)
            throw new MarketingApiException(Source, "NO_CONVERSION_METRIC",
                $"Klaviyo's account of {shop} has no Placed Order metric: connect its Shopify integration so that orders are attributed to e-mail.",
                transient: false);

        var flows = new List<string>();
        await foreach (var page in List(key, "flows", "api/flows", since, until, cancellationToken))
        {
            yield return page.Page;
            flows.AddRange(Items(page.Json).Select(f => Text(f["id"])).OfType<string>());
        }
        foreach (var flow in flows)
        {
            var sends = new List<string>();
            await foreach (var page in List(key, "flow-actions", $"api/flows/{Uri.EscapeDataString(flow)}/flow-actions", since, until, cancellationToken))
            {
                yield return page.Page;
                sends.AddRange(Items(page.Json).Where(a => Text(a["attributes"]?["action_type"]) == "SEND_EMAIL").Select(a => Text(a["id"])).OfType<string>());
            }
            foreach (var action in sends)
                await foreach (var page in List(key, "flow-messages", $"api/flow-actions/{Uri.EscapeDataString(action)}/flow-messages", since, until,
                                   cancellationToken))
                    yield return page.Page;
        }
        await foreach (var page in List(key, "campaigns", "api/campaigns?filter=" + Uri.EscapeDataString("equals(messages.channel,'email')"), since, until,
                           cancellationToken))
            yield return page.Page;

        for (var from = since; from <= until; from = from.AddDays(SeriesDays))
        {
            var to = Min(from.AddDays(SeriesDays - 1), until);
            yield return (await Report(key, "flow-series-report", from, to, zone, conversionMetric, cancellationToken)).Page;
        }
        for (var from = since; from <= until; from = from.AddDays(ValuesDays))
        {
            var to = Min(from.AddDays(ValuesDays - 1), until);
            yield return (await Report(key, "campaign-values-report", from, to, zone, conversionMetric, cancellationToken)).Page;
        }
    }

    /// <summary>What a key reaches, as a connection's check reads it: the account's id, name, time zone and currency.</summary>
    public async Task<(string Id, string? Name, string? TimeZone, string? Currency)> ReadAccount(string privateKey, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var answer = await Get(privateKey, "accounts", "api/accounts", today, today, cancellationToken);
        var first = answer.Json["data"]?[0] ?? throw Malformed("accounts", "data[0]");
        var attributes = first["attributes"];
        return (Text(first["id"]) ?? throw Malformed("accounts", "data[0].id"), Text(attributes?["contact_information"]?["organization_name"]),
            Text(attributes?["timezone"]), Text(attributes?["preferred_currency"]));
    }

    private sealed record Answer(MarketingPage Page, JsonObject Json);

    private static IEnumerable<JsonNode> Items(JsonObject json) => json["data"] is JsonArray items ? items.OfType<JsonNode>() : [];

    /// <summary>Every page of a collection, following <c>links.next</c> on Klaviyo's origin for at most <see cref="KlaviyoOptions.MaxPages"/> pages.</summary>
    private async IAsyncEnumerable<Answer> List(string key, string endpoint, string path, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? url = $"{Settings.BaseUrl.TrimEnd('/')}/{path}";
        for (var pages = 1; url is not null; pages++)
        {
            var answer = await Send(key, HttpMethod.Get, url, null, endpoint, since, until, cancellationToken);
            yield return answer;
            url = Next(answer.Json, endpoint, pages);
        }
    }

    private Task<Answer> Get(string key, string endpoint, string path, DateOnly since, DateOnly until, CancellationToken cancellationToken) =>
        Send(key, HttpMethod.Get, $"{Settings.BaseUrl.TrimEnd('/')}/{path}", null, endpoint, since, until, cancellationToken);

    /// <summary>
    /// A Reporting API report of the days [from, to]: its timeframe from the first day's midnight to the midnight after the last, in the account's
    /// zone (Klaviyo ignores the offset and counts in the account's zone), e-mail only, valued by the conversion metric.
    /// </summary>
    private Task<Answer> Report(string key, string type, DateOnly from, DateOnly to, string zone, string conversionMetric, CancellationToken cancellationToken)
    {
        var attributes = new JsonObject
        {
            ["statistics"] = new JsonArray(Statistics.Select(s => (JsonNode)s).ToArray()),
            ["timeframe"] = new JsonObject
            {
                ["start"] = Midnight(from, zone), ["end"] = Midnight(to.AddDays(1), zone),
            },
            ["conversion_metric_id"] = conversionMetric,
            ["filter"] = "equals(send_channel,\"email\")",
        };
        if (type == "flow-series-report") attributes["interval"] = "daily";
        var body = new JsonObject { ["data"] = new JsonObject { ["type"] = type, ["attributes"] = attributes } }.ToJsonString();
        return Send(key, HttpMethod.Post, $"{Settings.BaseUrl.TrimEnd('/')}/api/{type}s", body, type, from, to, cancellationToken);
    }

    private static string Midnight(DateOnly day, string zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        var offset = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found.GetUtcOffset(local) : TimeSpan.Zero;
        return new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    private async Task<Answer> Send(string key, HttpMethod method, string url, string? body, string endpoint, DateOnly since, DateOnly until,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, url);
            message.Headers.TryAddWithoutValidation("Authorization", $"Klaviyo-API-Key {key}");
            message.Headers.TryAddWithoutValidation("revision", Settings.Revision);
            message.Headers.TryAddWithoutValidation("accept", "application/vnd.api+json");
            if (body is not null) message.Content = new StringContent(body, Encoding.UTF8, "application/vnd.api+json");
            var uri = new Uri(url);
            var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(message, token), (Source, endpoint), clock,
                (exception, _) => new MarketingApiException(Source, "NETWORK", $"Klaviyo did not answer {endpoint}: {exception.Message}", transient: true),
                cancellationToken);
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                JsonObject? json = null;
                try { json = JsonNode.Parse(text) as JsonObject; } catch (System.Text.Json.JsonException) { }
                var status = (int)response.StatusCode;
                var items = json?["data"] is JsonArray data ? data.Count : json?["data"]?["attributes"]?["results"] is JsonArray results ? results.Count : 0;
                ApiCallJournal.Record(Source, endpoint, clock.GetUtcNow(), stopwatch.Elapsed, status, items, status == 429,
                    response.IsSuccessStatusCode ? null : Code(json) ?? $"HTTP_{status}");
                logger.LogInformation("Klaviyo {Endpoint} {Path}: HTTP {StatusCode} in {DurationMs} ms, {Records} items", endpoint, uri.AbsolutePath, status,
                    stopwatch.ElapsedMilliseconds, items);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    if (wait <= TimeSpan.FromSeconds(Settings.MaxInlineWaitSeconds) && attempt < 5)
                    {
                        await Task.Delay(wait, clock, cancellationToken);
                        continue;
                    }
                    throw new MarketingApiException(Source, "throttled", $"Klaviyo throttled {endpoint} ({Detail(json)}).", transient: true, wait);
                }
                if (!response.IsSuccessStatusCode)
                    throw new MarketingApiException(Source, Code(json) ?? $"HTTP_{status}",
                        $"Klaviyo refused {endpoint} with HTTP {status}: {Detail(json)}", transient: status >= 500 || status == 408);
                if (json is null) throw Malformed(endpoint, "JSON document");
                var request = (body is null ? "GET " : "POST ") + uri.PathAndQuery + (body is null ? "" : " " + body);
                return new Answer(new MarketingPage(since, until, endpoint, request, text, items, clock.GetUtcNow()), json);
            }
        }
    }

    /// <summary>
    /// The next page's link, followed only to Klaviyo's own origin (the key goes with it) and for at most <see cref="KlaviyoOptions.MaxPages"/> pages.
    /// </summary>
    private string? Next(JsonObject json, string endpoint, int pages)
    {
        if (Text(json["links"]?["next"]) is not { Length: > 0 } link) return null;
        var origin = new Uri(Settings.BaseUrl);
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != origin.Scheme
            || !string.Equals(uri.Host, origin.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != origin.Port)
            throw new MarketingApiException(Source, "MALFORMED_RESPONSE",
                $"Klaviyo's links.next of {endpoint} leads off {origin.GetLeftPart(UriPartial.Authority)}; it is not followed.", transient: false);
        if (pages >= Settings.MaxPages)
            throw new MarketingApiException(Source, "TOO_MANY_PAGES", $"Klaviyo's {endpoint} ran past {Settings.MaxPages} pages; the rest is not read.",
                transient: false);
        return link;
    }

    private static string? Code(JsonObject? json) => Text(json?["errors"]?[0]?["code"]);

    private static string Detail(JsonObject? json) =>
        json?["errors"]?[0] is { } error ? $"{Text(error["code"])}: {Text(error["detail"]) ?? Text(error["title"])}" : "no errors document";

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static MarketingApiException Malformed(string endpoint, string what) =>
        new(Source, "MALFORMED_RESPONSE", $"Klaviyo's answer to {endpoint} has no valid {what}.", transient: false);
}
