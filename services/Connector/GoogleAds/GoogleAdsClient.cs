using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Telemetry;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.GoogleAds;

/// <summary>
/// The Google Ads API's campaign metrics by day for a shop's customer: one
/// <c>POST /{version}/customers/{customer_id}/googleAds:searchStream</c> with a GAQL query over a date range, the
/// OAuth bearer token, <c>login-customer-id</c> for a manager account and <c>developer-token</c> when configured. The
/// answer is a JSON array of batches. A <c>GoogleAdsFailure</c> (as an object or wrapped in an array) is read by its
/// one-key <c>errorCode</c>: RESOURCE_EXHAUSTED waits the <c>retryDelay</c> it gives, UNAUTHENTICATED and
/// PERMISSION_DENIED fail clearly. Operations are counted per day against the access level's allowance.
/// </summary>
public sealed class GoogleAdsClient(HttpClient http, IOptions<GoogleAdsOptions> options, TimeProvider clock, ILogger<GoogleAdsClient> logger,
    GoogleAccessTokens? tokens = null, IGoogleAccounts? connected = null) : IMarketingSource
{
    public const string Source = "google_ads";

    private readonly ConcurrentDictionary<DateOnly, int> _operations = new();

    private GoogleAdsOptions Settings => options.Value;

    string IMarketingSource.Source => Source;

    public async ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken) =>
        await CustomerOf(shop, cancellationToken) is { } customer ? $"customers/{customer.CustomerId}" : null;

    /// <summary>The shop's customer: the settings', else the one connected at run time.</summary>
    private async ValueTask<GoogleAdsCustomer?> CustomerOf(string shop, CancellationToken cancellationToken) =>
        Settings.CustomerOf(shop) ?? (connected is null ? null
            : await connected.Of(shop, Source, cancellationToken) is { } account
                ? new GoogleAdsCustomer
                {
                    Shop = shop, CustomerId = account.Account, LoginCustomerId = account.LoginCustomerId, RefreshToken = account.RefreshToken,
                    Connected = true
                }
                : null);

    /// <summary>A searchStream answers the whole range at once: one page, whose body is the array of batches.</summary>
    public async IAsyncEnumerable<MarketingPage> Fetch(string shop, DateOnly since, DateOnly until,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = await SearchStream(shop, since, until, cancellationToken);
        yield return new MarketingPage(since, until, "searchStream", JsonSerializer.Serialize(new { query = answer.Query }), answer.Body, answer.Rows,
            answer.FetchedAt);
    }

    public static string Query(DateOnly since, DateOnly until) =>
        "SELECT customer.currency_code, customer.time_zone, campaign.id, campaign.name, segments.date, metrics.cost_micros, metrics.impressions, "
        + "metrics.clicks, metrics.conversions, metrics.conversions_value FROM campaign "
        + $"WHERE segments.date BETWEEN '{since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' "
        + $"AND '{until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' "
        + "ORDER BY segments.date, campaign.id";

    public async Task<GoogleAdsAnswer> SearchStream(string shop, DateOnly since, DateOnly until, CancellationToken cancellationToken)
    {
        var customer = await CustomerOf(shop, cancellationToken)
                       ?? throw new MarketingApiException(Source, "UNKNOWN_SHOP",
                           $"No Google Ads customer is configured for {shop} (GoogleAds:Customers).", transient: false);
        try
        {
            return await SearchStream(customer, cancellationToken, token => SearchStream(customer, token, since, until, cancellationToken));
        }
        catch (MarketingApiException exception) when (customer.Connected && connected is not null && exception.Code is "UNAUTHENTICATED" or "PERMISSION_DENIED")
        {
            // The grant was revoked or the access removed: the connection fails in Google's words, its schedule stops.
            await connected.Refused(Source, customer.CustomerId, exception.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// What a connection's check reads of a customer (<c>SELECT customer.… FROM customer</c>) with the access token the
    /// person's grant gives: its name, currency, time zone and status.
    /// </summary>
    public async Task<GoogleAdsCustomerInfo> ReadCustomer(string customerId, string? loginCustomerId, string accessToken, CancellationToken cancellationToken)
    {
        var customer = new GoogleAdsCustomer { Shop = "", CustomerId = customerId, LoginCustomerId = loginCustomerId, AccessToken = accessToken };
        var (body, batches) = await Send(customer, accessToken, CustomerQuery, "customer", cancellationToken);
        var row = batches.OfType<JsonObject>().SelectMany(b => b["results"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault()?["customer"] as JsonObject
                  ?? throw new MarketingApiException(Source, "MALFORMED_RESPONSE",
                      $"Google Ads answered no customer row for {customerId} ({body.Length} bytes).", transient: false);
        string? Text(string name) => row[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return new GoogleAdsCustomerInfo(Text("descriptiveName"), Text("currencyCode"), Text("timeZone"), Text("status"));
    }

    public const string CustomerQuery =
        "SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone, customer.status FROM customer LIMIT 1";

    /// <summary>An access token renewed from a refresh token may be refused before it was due to expire: it is renewed once.</summary>
    private async Task<T> SearchStream<T>(GoogleAdsCustomer customer, CancellationToken cancellationToken, Func<string, Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = tokens is not null
                ? await tokens.For(Source, $"customer {customer.CustomerId}", customer.AccessToken, customer.RefreshToken, cancellationToken)
                : customer.AccessToken;
            try
            {
                return await call(token);
            }
            catch (MarketingApiException exception) when (exception.Code == "UNAUTHENTICATED" && attempt == 1 && tokens?.Forget(customer.RefreshToken) == true)
            {
                logger.LogInformation("Google Ads refused the renewed access token of customer {CustomerId}; renewing it again", customer.CustomerId);
            }
        }
    }

    private async Task<GoogleAdsAnswer> SearchStream(GoogleAdsCustomer customer, string accessToken, DateOnly since, DateOnly until,
        CancellationToken cancellationToken)
    {
        var query = Query(since, until);
        var (body, batches) = await Send(customer, accessToken, query, "campaign days", cancellationToken);
        return new GoogleAdsAnswer(since, until, query, body, batches.Count, batches.Sum(b => (b?["results"] as JsonArray)?.Count ?? 0), clock.GetUtcNow());
    }

    /// <summary>One searchStream call: the answer and its batches, or Google's refusal in its words.</summary>
    private async Task<(string Body, JsonArray Batches)> Send(GoogleAdsCustomer customer, string accessToken, string query, string what,
        CancellationToken cancellationToken)
    {
        Reserve();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{Settings.BaseUrl.TrimEnd('/')}/{Settings.ApiVersion}/customers/{customer.CustomerId}/googleAds:searchStream")
        {
            Content = JsonContent.Create(new { query }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        if (Settings.DeveloperToken is { Length: > 0 } developerToken) request.Headers.Add("developer-token", developerToken);
        if (customer.LoginCustomerId is { Length: > 0 } manager) request.Headers.Add("login-customer-id", manager.Replace("-", ""));

        var (response, stopwatch) = await ProviderCall.Send(token => http.SendAsync(request, token), (Source, "searchStream"), clock,
            (exception, _) => new MarketingApiException(Source, "NETWORK",
                $"Google Ads did not answer searchStream for {customer.CustomerId}: {exception.Message}", transient: true),
            cancellationToken);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json = null;
            try { json = JsonNode.Parse(body); } catch (JsonException) { }
            var error = (json is JsonArray { Count: > 0 } wrapped ? wrapped[0] : json)?["error"] as JsonObject;
            var (kind, code, message, retryDelay) = Failure(error);
            var batches = json as JsonArray;
            var rows = batches?.Sum(b => (b?["results"] as JsonArray)?.Count ?? 0) ?? 0;
            ApiCallJournal.Record(Source, "searchStream", clock.GetUtcNow(), stopwatch.Elapsed, (int)response.StatusCode, rows, kind == "quotaError",
                error is null ? null : code ?? error["status"]?.GetValue<string>(), 100.0 * _operations.GetValueOrDefault(Today) / Settings.DailyOperations);
            logger.LogInformation(
                "Google Ads searchStream ({What}) /{Version}/customers/{CustomerId} of {ShopDomain}: HTTP {StatusCode} in {DurationMs} ms, "
                + "{Records} rows in {Batches} batches, {Operations} operations today",
                what, Settings.ApiVersion, customer.CustomerId, customer.Shop, (int)response.StatusCode, stopwatch.ElapsedMilliseconds, rows,
                batches?.Count ?? 0, _operations.GetValueOrDefault(Today));

            if (error is not null)
            {
                var status = error["status"]?.GetValue<string>() ?? $"HTTP_{(int)response.StatusCode}";
                var detail = $"{status}{(code is null ? "" : $" ({kind}: {code})")}: {message ?? error["message"]?.GetValue<string>()}";
                throw status switch
                {
                    "UNAUTHENTICATED" => new MarketingApiException(Source, status,
                        $"Google Ads rejected the access token of customer {customer.CustomerId} ({customer.Shop}): {detail}. "
                        + $"{(customer.Connected ? "Connect it again." : "Renew it in GoogleAds:Customers.")}", transient: false),
                    "PERMISSION_DENIED" => new MarketingApiException(Source, status,
                        $"Google Ads denies access to customer {customer.CustomerId} ({customer.Shop}): {detail}. "
                        + $"Check the customer id and, for a manager account, LoginCustomerId.", transient: false),
                    "RESOURCE_EXHAUSTED" => new MarketingApiException(Source, status, $"Google Ads' quota is used up for {customer.CustomerId}: {detail}",
                        transient: true, retryDelay),
                    _ => new MarketingApiException(Source, status, $"Google Ads refused searchStream for {customer.CustomerId}: {detail}",
                        transient: (int)response.StatusCode >= 500),
                };
            }
            if (!response.IsSuccessStatusCode || batches is null)
                throw new MarketingApiException(Source, $"HTTP_{(int)response.StatusCode}",
                    $"Google Ads answered searchStream for {customer.CustomerId} with HTTP {(int)response.StatusCode} "
                    + $"and {(batches is null ? "no array of batches" : "no error")}.",
                    transient: (int)response.StatusCode >= 500);
            return (body, batches);
        }
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Counts a query against the day's allowance, or defers until the next day when it is used up.</summary>
    private void Reserve()
    {
        var today = Today;
        foreach (var old in _operations.Keys.Where(d => d < today)) _operations.TryRemove(old, out _);
        if (_operations.AddOrUpdate(today, 1, (_, n) => n + 1) <= Settings.DailyOperations) return;
        var midnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        throw new MarketingApiException(Source, "DAILY_OPERATIONS",
            $"The {Settings.DailyOperations:N0} Google Ads operations of today are used; the next is allowed at {midnight:u}.", transient: true,
            midnight - clock.GetUtcNow());
    }

    /// <summary>The first GoogleAdsFailure error: its one-key errorCode, message, and the retryDelay of a quota error ("40591s").</summary>
    private static (string? Kind, string? Code, string? Message, TimeSpan? RetryDelay) Failure(JsonObject? error)
    {
        if (error?["details"] is not JsonArray details) return (null, null, null, null);
        foreach (var detail in details.OfType<JsonObject>())
        {
            if (detail["errors"] is not JsonArray { Count: > 0 } errors || errors[0] is not JsonObject first) continue;
            var codeObject = first["errorCode"] as JsonObject;
            var (kind, code) = codeObject?.FirstOrDefault() is { Key: var k, Value: JsonValue v } ? (k, v.GetValue<string>()) : ((string?)null, (string?)null);
            var delay = first["details"]?["quotaErrorDetails"]?["retryDelay"]?.GetValue<string>() is { } text
                        && text.EndsWith('s') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : (TimeSpan?)null;
            return (kind, code, first["message"]?.GetValue<string>(), delay);
        }
        return (null, null, null, null);
    }
}
