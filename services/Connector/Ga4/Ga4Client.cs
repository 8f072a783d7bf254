using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Ga4;

/// <summary>
/// The GA4 Data API's sessions by day and default channel group for a shop's property:
/// <c>POST /v1beta/properties/{id}:runReport</c> with one date range, dimensions <c>date</c> and
/// <c>sessionDefaultChannelGroup</c>, metrics <c>sessions</c>, <c>totalUsers</c>, the key events metric and
/// <c>purchaseRevenue</c>, ordered by both dimensions so that pages are stable, paged by limit/offset until
/// <c>rowCount</c> rows are read (an empty report has neither <c>rows</c> nor <c>rowCount</c>). Calls are paced by the
/// Connector's own cap a minute and by the <c>propertyQuota</c> each answer reports; 429 RESOURCE_EXHAUSTED waits as
/// long as the quota named needs to return, 401 and 403 fail clearly.
/// </summary>
public sealed class Ga4Client(
    HttpClient http, IOptions<Ga4Options> options, TimeProvider clock, ILogger<Ga4Client> logger, GoogleAccessTokens? tokens = null,
    IGoogleAccounts? connected = null)
    : IMarketingSource
{
    public const string Source = "ga4";

    private static readonly TimeZoneInfo Pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private readonly ConcurrentDictionary<string, Pace> _paces = new(StringComparer.Ordinal);

    private Ga4Options Settings => options.Value;

    string IMarketingSource.Source => Source;

    public async ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken) =>
        await PropertyOf(shop, cancellationToken) is { } property ? $"properties/{property.PropertyId}" : null;

    /// <summary>The shop's property: the settings', else the one connected at run time.</summary>
    private async ValueTask<Ga4Property?> PropertyOf(string shop, CancellationToken cancellationToken) =>
        Settings.PropertyOf(shop) ?? (connected is null ? null
            : await connected.Of(shop, Source, cancellationToken) is { } account
                ? new Ga4Property { Shop = shop, PropertyId = account.Account, RefreshToken = account.RefreshToken, Connected = true }
                : null);

    /// <summary>
    /// What a connection's check reads of a property from the Admin API (<c>GET /v1beta/properties/{id}</c>) with the
    /// access token the person's grant gives: its display name, currency and time zone; a property in the trash is said so.
    /// </summary>
    public async Task<Ga4PropertyInfo> ReadProperty(string propertyId, string accessToken, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, $"{Settings.AdminBaseUrl.TrimEnd('/')}/{Settings.AdminApiVersion}/properties/{propertyId}");
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(message, token), (Source, "properties.get"), clock,
            (exception, _) => new MarketingApiException(Source, "NETWORK",
                $"GA4's Admin API did not answer for properties/{propertyId}: {exception.Message}", transient: true),
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            ApiCallJournal.Record(Source, "properties.get", clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            if (json?["error"] is JsonObject error)
            {
                var status = Text(error["status"]) ?? $"HTTP_{(int)response.StatusCode}";
                throw new MarketingApiException(Source, status, $"GA4 refused properties/{propertyId} ({status}): {Text(error["message"]) ?? "no message"}",
                    transient: (int)response.StatusCode >= 500 || status == "RESOURCE_EXHAUSTED");
            }
            if (!response.IsSuccessStatusCode || json is null)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"GA4's Admin API answered properties/{propertyId} with HTTP {(int)response.StatusCode} and no property.",
                    transient: (int)response.StatusCode >= 500);
            return new Ga4PropertyInfo(Text(json["displayName"]), Text(json["currencyCode"]), Text(json["timeZone"]), Text(json["deleteTime"]));
        }
    }

    IAsyncEnumerable<MarketingPage> IMarketingSource.Fetch(string shop, DateOnly since, DateOnly until, CancellationToken cancellationToken) =>
        RunReport(shop, since, until, cancellationToken);

    /// <summary>Calls made in the last minute, and when the property's quota lets the next one go.</summary>
    private sealed class Pace
    {
        public readonly Queue<DateTimeOffset> Calls = new();
        public DateTimeOffset NotBefore;
    }

    public static JsonObject Report(DateOnly since, DateOnly until, string keyEventsMetric, long offset, int limit) => new()
    {
        ["dateRanges"] = new JsonArray(new JsonObject
        {
            ["startDate"] = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["endDate"] = until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }),
        ["dimensions"] = new JsonArray(new JsonObject { ["name"] = "date" }, new JsonObject { ["name"] = "sessionDefaultChannelGroup" }),
        ["metrics"] = new JsonArray(new JsonObject { ["name"] = "sessions" }, new JsonObject { ["name"] = "totalUsers" },
            new JsonObject { ["name"] = keyEventsMetric }, new JsonObject { ["name"] = "purchaseRevenue" }),
        ["orderBys"] = new JsonArray(new JsonObject { ["dimension"] = new JsonObject { ["dimensionName"] = "date" } },
            new JsonObject { ["dimension"] = new JsonObject { ["dimensionName"] = "sessionDefaultChannelGroup" } }),
        ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
        ["offset"] = offset.ToString(CultureInfo.InvariantCulture),
        ["returnPropertyQuota"] = true,
    };

    public async IAsyncEnumerable<MarketingPage> RunReport(string shop, DateOnly since, DateOnly until,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var property = await PropertyOf(shop, cancellationToken)
                       ?? throw new MarketingApiException(Source, "UNKNOWN_SHOP", $"No GA4 property is configured for {shop} (Ga4:Properties).",
                           transient: false);
        if (since > until) throw new ArgumentException($"since {since} is after until {until}.", nameof(since));
        long offset = 0;
        while (true)
        {
            var request = Report(since, until, Settings.KeyEventsMetric, offset, Settings.PageSize).ToJsonString();
            var (body, json) = await Send(property, request, cancellationToken);
            var rows = json["rows"] is JsonArray list ? list.Count : json.ContainsKey("rows") ? throw Malformed("rows") : 0;
            var rowCount = json["rowCount"] is JsonValue count && count.TryGetValue<long>(out var total) ? total : 0;
            yield return new MarketingPage(since, until, "runReport", request, body, rows, clock.GetUtcNow());
            offset += rows;
            if (rows == 0 || offset >= rowCount) yield break;
        }
    }

    /// <summary>One report call; an access token renewed from a refresh token and refused anyway is renewed once.</summary>
    private async Task<(string Body, JsonObject Json)> Send(Ga4Property property, string request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendRenewing(property, request, cancellationToken);
        }
        catch (MarketingApiException exception) when (property.Connected && connected is not null && exception.Code is "UNAUTHENTICATED" or "PERMISSION_DENIED")
        {
            // The grant was revoked or the property's access removed: the connection fails in Google's words, its schedule stops.
            await connected.Refused(Source, property.PropertyId, exception.Message, CancellationToken.None);
            throw;
        }
    }

    private async Task<(string Body, JsonObject Json)> SendRenewing(Ga4Property property, string request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = tokens is not null
                ? await tokens.For(Source, $"properties/{property.PropertyId}", property.AccessToken, property.RefreshToken, cancellationToken)
                : property.AccessToken;
            try
            {
                return await Send(property, token, request, cancellationToken);
            }
            catch (MarketingApiException exception) when (exception.Code == "UNAUTHENTICATED" && attempt == 1 && tokens?.Forget(property.RefreshToken) == true)
            {
                logger.LogInformation("GA4 refused the renewed access token of properties/{PropertyId}; renewing it again", property.PropertyId);
            }
        }
    }

    private async Task<(string Body, JsonObject Json)> Send(Ga4Property property, string accessToken, string request, CancellationToken cancellationToken)
    {
        var wait = Reserve(property.PropertyId);
        if (wait > TimeSpan.FromSeconds(Settings.MaxInlineWaitSeconds))
            throw new MarketingApiException(Source, "PACED", $"GA4 property {property.PropertyId} asks for a pause of {wait.TotalSeconds:0} s.",
                transient: true, wait);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);

        var url = $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/properties/{property.PropertyId}:runReport";
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(request, System.Text.Encoding.UTF8, "application/json")
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(message, token), (Source, "runReport"), clock,
            (exception, elapsed) =>
            {
                logger.LogWarning("GA4 runReport for properties/{PropertyId} failed after {DurationMs} ms: {Error}", property.PropertyId,
                    (long)elapsed.TotalMilliseconds, exception.Message);
                return new MarketingApiException(Source, "NETWORK",
                    $"GA4 did not answer runReport for properties/{property.PropertyId}: {exception.Message}", transient: true);
            },
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            var error = json?["error"] as JsonObject;
            var status = Text(error?["status"]);
            var quota = json?["propertyQuota"] as JsonObject;
            var (hourLeft, dayLeft) = (Remaining(quota, "tokensPerHour"), Remaining(quota, "tokensPerDay"));
            ApiCallJournal.Record(Source, "runReport", clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode, (json?["rows"] as JsonArray)?.Count ?? 0,
                status == "RESOURCE_EXHAUSTED", status, hourLeft is { } left ? 100.0 * (1 - (double)left / Settings.TokensPerHour) : null);
            logger.LogInformation(
                "GA4 runReport /{Version}/properties/{PropertyId} for {ShopDomain}: HTTP {StatusCode} in {DurationMs} ms, {Records} rows, "
                + "tokens left {TokensLeftHour} this hour, {TokensLeftDay} today",
                Settings.ApiVersion, property.PropertyId, property.Shop, (int)response.StatusCode, stopwatch.ElapsedMilliseconds,
                (json?["rows"] as JsonArray)?.Count ?? 0, hourLeft, dayLeft);
            Record(property.PropertyId, hourLeft, dayLeft);

            if (error is not null)
            {
                var text = Text(error["message"]) ?? "no message";
                throw status switch
                {
                    "UNAUTHENTICATED" => new MarketingApiException(Source, status,
                        $"GA4 rejected the access token of properties/{property.PropertyId} ({property.Shop}): {text} Renew it in Ga4:Properties.",
                        transient: false),
                    "PERMISSION_DENIED" => new MarketingApiException(Source, status,
                        $"GA4 denies access to properties/{property.PropertyId} ({property.Shop}): {text} "
                        + $"Share the property with the account of the token, or fix the property id.", transient: false),
                    "RESOURCE_EXHAUSTED" => new MarketingApiException(Source, status, $"GA4's quota of properties/{property.PropertyId} is used up: {text}",
                        transient: true, QuotaReturnsIn(text)),
                    _ => new MarketingApiException(Source, status ?? $"HTTP_{(int)response.StatusCode}",
                        $"GA4 refused runReport for properties/{property.PropertyId} (HTTP {(int)response.StatusCode} {status}): {text}",
                        transient: (int)response.StatusCode >= 500),
                };
            }
            if (json is null || !response.IsSuccessStatusCode)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"GA4 answered runReport for properties/{property.PropertyId} with HTTP {(int)response.StatusCode} "
                    + $"and {(json is null ? "no JSON" : "no error")}.",
                    transient: (int)response.StatusCode >= 500);
            return (body, json);
        }
    }

    /// <summary>Counts a call against the minute's cap; returns how long to wait first (the cap, or the quota's return).</summary>
    private TimeSpan Reserve(string propertyId)
    {
        var pace = _paces.GetOrAdd(propertyId, _ => new Pace());
        var now = clock.GetUtcNow();
        lock (pace)
        {
            while (pace.Calls.Count > 0 && pace.Calls.Peek() <= now.AddMinutes(-1)) pace.Calls.Dequeue();
            var at = pace.NotBefore > now ? pace.NotBefore : now;
            if (pace.Calls.Count >= Settings.MaxRequestsPerMinute)
            {
                var freed = pace.Calls.Peek().AddMinutes(1);
                if (freed > at) at = freed;
            }
            pace.Calls.Enqueue(at);
            return at - now;
        }
    }

    /// <summary>When the tokens an answer says are left run low, the next call waits for the hour (or the day) to give them back.</summary>
    private void Record(string propertyId, long? hourLeft, long? dayLeft)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? notBefore = null;
        if (dayLeft < Settings.MinRemainingTokens) notBefore = NextPacificMidnight(now);
        else if (hourLeft < Settings.MinRemainingTokens) notBefore = now.AddHours(1);
        if (notBefore is null) return;
        var pace = _paces.GetOrAdd(propertyId, _ => new Pace());
        lock (pace) pace.NotBefore = notBefore.Value > pace.NotBefore ? notBefore.Value : pace.NotBefore;
        logger.LogWarning(
            "GA4 properties/{PropertyId} has {TokensLeftHour} tokens left this hour and {TokensLeftDay} today: the next report waits until {NotBefore:u}",
            propertyId, hourLeft, dayLeft, notBefore);
    }

    /// <summary>
    /// How long the quota a 429 names takes to return, from GA4's own wording: concurrent requests return within
    /// seconds, a project's hourly tokens within the hour (half of it is waited), daily tokens at midnight Pacific time.
    /// </summary>
    private TimeSpan QuotaReturnsIn(string message)
    {
        if (message.StartsWith("Exhausted concurrent requests", StringComparison.OrdinalIgnoreCase)) return TimeSpan.FromSeconds(30);
        if (message.Contains("per day", StringComparison.OrdinalIgnoreCase)) return NextPacificMidnight(clock.GetUtcNow()) - clock.GetUtcNow();
        if (message.StartsWith("Exhausted server errors", StringComparison.OrdinalIgnoreCase)) return TimeSpan.FromHours(1);
        return TimeSpan.FromMinutes(30);
    }

    private static DateTimeOffset NextPacificMidnight(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Pacific);
        var midnight = local.Date.AddDays(1);
        return new DateTimeOffset(midnight, Pacific.GetUtcOffset(midnight));
    }

    private static long? Remaining(JsonObject? quota, string name) =>
        quota?[name]?["remaining"] is JsonValue value && value.TryGetValue<long>(out var left) ? left : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static MarketingApiException Malformed(string what) => new(Source, "MALFORMED_RESPONSE", $"GA4's answer has no valid {what}.", transient: false);
}
