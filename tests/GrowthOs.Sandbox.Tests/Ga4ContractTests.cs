extern alias connector;

using System.Net;
using System.Text;
using System.Text.Json;
using connector::GrowthOs.Connector.Ga4;
using connector::GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The Connector's GA4 client against the Sandbox's runReport over HTTP, and the Sandbox held to the Connector's fixtures.</summary>
public sealed class Ga4ContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string PropertyId = "314159265";
    private const string Token = "ya29.sandboxGa4ContractToken";
    private static readonly DateOnly Anchor = new(2026, 11, 30);
    private readonly SandboxHosts _sandbox = new();

    private (Ga4Client Client, HttpClient Http) Connect(string? failure = null, string token = Token, int pageSize = 50, bool recent = false)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            // Recent: no anchor, so the data ends at the shop's yesterday in its own zone, as GA4's relative dates count.
            ["Sandbox:AnchorDate"] = recent ? null : Anchor.ToString("yyyy-MM-dd"),
            ["Sandbox:Ga4:Properties:0:Id"] = PropertyId,
            ["Sandbox:Ga4:Properties:0:AccessToken"] = Token,
            ["Sandbox:Ga4:Properties:0:Shop"] = Shop,
            ["Sandbox:Ga4:Properties:1:Id"] = "999999999",
            ["Sandbox:Ga4:Properties:1:AccessToken"] = "ya29.otherPropertyToken",
            ["Sandbox:Ga4:Properties:1:Shop"] = Shop,
            ["Sandbox:Ga4:Properties:0:Failures:0"] = failure,
        });
        var options = Options.Create(new Ga4Options
        {
            BaseUrl = new Uri(http.BaseAddress!, "/ga4").ToString(),
            PageSize = pageSize,
            MaxInlineWaitSeconds = 0,
            Properties = [new Ga4Property { Shop = Shop, PropertyId = PropertyId, AccessToken = token }],
        });
        return (new Ga4Client(http, options, TimeProvider.System, NullLogger<Ga4Client>.Instance), http);
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Ga4", name))).RootElement;

    private static async Task<List<MarketingPage>> All(Ga4Client client, DateOnly since, DateOnly until)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.RunReport(Shop, since, until, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    [Fact]
    public async Task Thirty_days_come_in_pages_of_strings_one_row_per_day_and_channel_group_in_the_order_asked_for()
    {
        var pages = await All(Connect().Client, Anchor.AddDays(-29), Anchor);

        Assert.Equal([50, 50, 50, 30], pages.Select(p => p.Rows));
        var rows = new List<JsonElement>();
        foreach (var page in pages)
        {
            var body = JsonDocument.Parse(page.Body).RootElement;
            JsonShape.Assert(Fixture("run_report_page.json"), body);
            Assert.Equal(180, body.GetProperty("rowCount").GetInt32());
            rows.AddRange(body.GetProperty("rows").EnumerateArray());
        }
        Assert.All(rows, r => Assert.All(r.GetProperty("metricValues").EnumerateArray(),
            v => Assert.Equal(JsonValueKind.String, v.GetProperty("value").ValueKind)));
        var keys = rows.Select(r => (r.GetProperty("dimensionValues")[0].GetProperty("value").GetString()!,
            r.GetProperty("dimensionValues")[1].GetProperty("value").GetString()!)).ToList();
        Assert.Equal(keys.Order(), keys);
        Assert.Equal(180, keys.Distinct().Count());
        Assert.Equal(Anchor.AddDays(-29).ToString("yyyyMMdd"), keys[0].Item1);
    }

    [Fact]
    public async Task A_range_with_no_traffic_has_neither_rows_nor_rowCount()
    {
        var page = Assert.Single(await All(Connect().Client, new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 7)));
        var body = JsonDocument.Parse(page.Body).RootElement;
        JsonShape.Assert(Fixture("run_report_empty.json"), body);
        Assert.False(body.TryGetProperty("rows", out _));
        Assert.False(body.TryGetProperty("rowCount", out _));
    }

    [Fact]
    public async Task Without_orderBys_rows_come_by_the_first_metric_largest_first_and_an_unknown_metric_is_refused_in_GA4s_words()
    {
        // Relative dates are the property's days before today: the data must end recently, not at the fixed anchor.
        var (_, http) = Connect(recent: true);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/ga4/v1beta/properties/{PropertyId}:runReport")
        {
            Content = new StringContent("""{"dateRanges":[{"startDate":"7daysAgo","endDate":"yesterday"}],"dimensions":["""
                + """{"name":"sessionDefaultChannelGroup"}],"metrics":[{"name":"sessions"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Token);
        var sessions = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement.GetProperty("rows").EnumerateArray()
            .Select(r => long.Parse(r.GetProperty("metricValues")[0].GetProperty("value").GetString()!)).ToList();
        Assert.Equal(6, sessions.Count);
        Assert.Equal(sessions.OrderDescending(), sessions);

        using var invalid = new HttpRequestMessage(HttpMethod.Post, $"/ga4/v1beta/properties/{PropertyId}:runReport")
        {
            Content = new StringContent("""{"dateRanges":[{"startDate":"2026-11-01","endDate":"2026-11-02"}],"metrics":[{"name":"pageViews"}]}""",
                Encoding.UTF8, "application/json"),
        };
        invalid.Headers.Authorization = new("Bearer", Token);
        var refused = await http.SendAsync(invalid);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        JsonShape.Assert(Fixture("invalid_metric.json"), error);
        Assert.Equal(Fixture("invalid_metric.json").GetProperty("error").GetProperty("message").GetString(),
            error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bad_token_is_unauthenticated_and_a_property_the_token_cannot_see_is_permission_denied()
    {
        var unauthenticated = await Assert.ThrowsAsync<MarketingApiException>(() => All(Connect(token: "ya29.wrong").Client, Anchor, Anchor));
        Assert.Equal(("UNAUTHENTICATED", false), (unauthenticated.Code, unauthenticated.Transient));

        var denied = await Assert.ThrowsAsync<MarketingApiException>(() => All(Connect(token: "ya29.otherPropertyToken").Client, Anchor, Anchor));
        Assert.Equal(("PERMISSION_DENIED", false), (denied.Code, denied.Transient));
        Assert.Contains("sufficient permissions", denied.Message);
    }

    [Fact]
    public async Task Exhausted_quotas_are_answered_429_in_GA4s_words_and_the_client_waits_for_them()
    {
        var hourly = await Assert.ThrowsAsync<MarketingApiException>(() => All(Connect(failure: "QUOTA_HOURLY:1").Client, Anchor, Anchor));
        Assert.Equal(("RESOURCE_EXHAUSTED", true, TimeSpan.FromMinutes(30)), (hourly.Code, hourly.Transient, hourly.RetryAfter));

        var concurrent = await Assert.ThrowsAsync<MarketingApiException>(() => All(Connect(failure: "CONCURRENT:1").Client, Anchor, Anchor));
        Assert.Equal(TimeSpan.FromSeconds(30), concurrent.RetryAfter);

        var daily = await Assert.ThrowsAsync<MarketingApiException>(() => All(Connect(failure: "QUOTA_DAILY:1").Client, Anchor, Anchor));
        Assert.InRange(daily.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }

    [Fact]
    public async Task Tokens_running_low_in_the_property_quota_pace_the_next_report()
    {
        var (client, _) = Connect(failure: "TOKENS_LOW");
        var first = Assert.Single(await All(client, Anchor, Anchor));
        var quota = JsonDocument.Parse(first.Body).RootElement.GetProperty("propertyQuota");
        Assert.InRange(quota.GetProperty("tokensPerHour").GetProperty("remaining").GetInt32(), 0, 99);
        var paced = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Anchor, Anchor));
        Assert.Equal("PACED", paced.Code);
    }

    public void Dispose() => _sandbox.Dispose();
}
