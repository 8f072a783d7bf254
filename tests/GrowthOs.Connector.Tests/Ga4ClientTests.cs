using System.Net;
using System.Text;
using System.Text.Json;
using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.Connector.Tests;

/// <summary>The GA4 client held to answers in the shapes Google documents and public projects captured (Fixtures/Ga4).</summary>
public sealed class Ga4ClientTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string Token = "ya29.secretGa4AccessToken";
    private static readonly DateOnly Day = new(2026, 6, 1);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Ga4", name));

    private static (Ga4Client Client, Handler Handler, FakeTimeProvider Clock) Client(Action<Ga4Options>? configure, params (HttpStatusCode, string)[] answers)
    {
        var handler = new Handler(answers);
        var settings = new Ga4Options
        {
            PageSize = 2, MaxInlineWaitSeconds = 0, Properties = [new Ga4Property { Shop = Shop, PropertyId = "213025502", AccessToken = Token }],
        };
        configure?.Invoke(settings);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero));
        return (new Ga4Client(new HttpClient(handler), Options.Create(settings), clock, NullLogger<Ga4Client>.Instance), handler, clock);
    }

    private static async Task<List<MarketingPage>> All(Ga4Client client, DateOnly since, DateOnly until)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.RunReport(Shop, since, until, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    [Fact]
    public async Task A_report_is_paged_by_offset_until_rowCount_rows_are_read_each_page_kept_as_it_came()
    {
        var (client, handler, _) = Client(null, (HttpStatusCode.OK, Fixture("run_report_page.json")),
            (HttpStatusCode.OK, Fixture("run_report_last_page.json")));
        var pages = await All(client, Day, Day.AddDays(1));

        Assert.Equal([2, 3], pages.Select(p => p.Rows));
        Assert.Equal(Fixture("run_report_page.json"), pages[0].Body);
        Assert.Equal("https://analyticsdata.googleapis.com/v1beta/properties/213025502:runReport", handler.Uris[0].ToString());
        Assert.Equal($"Bearer {Token}", handler.Authorizations[0]);
        var first = JsonDocument.Parse(handler.Bodies[0]).RootElement;
        var second = JsonDocument.Parse(handler.Bodies[1]).RootElement;
        Assert.Equal(("0", "2"), (first.GetProperty("offset").GetString(), second.GetProperty("offset").GetString()));
        Assert.Equal("2", first.GetProperty("limit").GetString());
        Assert.True(first.GetProperty("returnPropertyQuota").GetBoolean());
        Assert.Equal(["date", "sessionDefaultChannelGroup"], first.GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.Equal(["sessions", "totalUsers", "keyEvents", "purchaseRevenue"],
            first.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal("2026-06-01", first.GetProperty("dateRanges")[0].GetProperty("startDate").GetString());
        Assert.Equal("2026-06-02", first.GetProperty("dateRanges")[0].GetProperty("endDate").GetString());
        Assert.Equal(2, first.GetProperty("orderBys").GetArrayLength());
        Assert.Equal(first.GetRawText(), pages[0].Request);
        Assert.DoesNotContain(Token, pages[0].Request);
    }

    [Fact]
    public async Task An_empty_report_without_rows_or_rowCount_is_one_page_of_nothing()
    {
        var (client, handler, _) = Client(null, (HttpStatusCode.OK, Fixture("run_report_empty.json")));
        var pages = await All(client, Day, Day);
        Assert.Equal(0, Assert.Single(pages).Rows);
        Assert.Single(handler.Bodies);
    }

    [Fact]
    public async Task A_property_that_still_reports_conversions_is_asked_for_conversions()
    {
        var (client, handler, _) = Client(o => o.KeyEventsMetric = "conversions", (HttpStatusCode.OK, Fixture("run_report_empty.json")));
        await All(client, Day, Day);
        Assert.Contains("conversions", JsonDocument.Parse(handler.Bodies[0]).RootElement.GetProperty("metrics").EnumerateArray()
            .Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_exhausted_quota_is_transient_and_waits_as_long_as_the_quota_it_names_takes_to_return()
    {
        var (hourly, _, _) = Client(null, (HttpStatusCode.TooManyRequests, Fixture("quota_exhausted_hourly.json")));
        var tokens = await Assert.ThrowsAsync<MarketingApiException>(() => All(hourly, Day, Day));
        Assert.Equal(("RESOURCE_EXHAUSTED", true, TimeSpan.FromMinutes(30)), (tokens.Code, tokens.Transient, tokens.RetryAfter));

        var (concurrent, _, _) = Client(null, (HttpStatusCode.TooManyRequests, Fixture("concurrent_exhausted.json")));
        var busy = await Assert.ThrowsAsync<MarketingApiException>(() => All(concurrent, Day, Day));
        Assert.Equal(TimeSpan.FromSeconds(30), busy.RetryAfter);
    }

    [Fact]
    public async Task A_denied_property_a_rejected_token_and_a_bad_request_fail_clearly_and_for_good_without_the_token()
    {
        foreach (var (status, fixture, code) in new[]
                 {
                     (HttpStatusCode.Forbidden, "permission_denied.json", "PERMISSION_DENIED"),
                     (HttpStatusCode.Unauthorized, "unauthenticated.json", "UNAUTHENTICATED"),
                     (HttpStatusCode.BadRequest, "invalid_metric.json", "INVALID_ARGUMENT"),
                 })
        {
            var (client, _, _) = Client(null, (status, Fixture(fixture)));
            var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
            Assert.Equal((code, false), (exception.Code, exception.Transient));
            Assert.Contains("213025502", exception.Message);
            Assert.DoesNotContain(Token, exception.Message);
        }
    }

    [Fact]
    public async Task The_cap_a_minute_defers_the_next_report_until_a_call_leaves_the_minute()
    {
        var (client, handler, clock) = Client(o => o.MaxRequestsPerMinute = 2,
            (HttpStatusCode.OK, Fixture("run_report_empty.json")), (HttpStatusCode.OK, Fixture("run_report_empty.json")),
            (HttpStatusCode.OK, Fixture("run_report_empty.json")));
        await All(client, Day, Day);
        clock.Advance(TimeSpan.FromSeconds(20));
        await All(client, Day, Day);
        var paced = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal(("PACED", true), (paced.Code, paced.Transient));
        Assert.Equal(TimeSpan.FromSeconds(40), paced.RetryAfter);
        Assert.Equal(2, handler.Bodies.Count);
    }

    [Fact]
    public async Task Few_tokens_left_this_hour_make_the_next_report_wait_for_them_to_return()
    {
        var low = Fixture("run_report_empty.json").Replace("\"kind\"",
            "\"propertyQuota\":{\"tokensPerDay\":{\"consumed\":9000,\"remaining\":191000},\"tokensPerHour\":{\"consumed\":39980,\"remaining\":20},"
            + "\"concurrentRequests\":{\"consumed\":1,\"remaining\":9}},\"kind\"");
        var (client, handler, _) = Client(null, (HttpStatusCode.OK, low), (HttpStatusCode.OK, low));
        await All(client, Day, Day);
        var paced = await Assert.ThrowsAsync<MarketingApiException>(() => All(client, Day, Day));
        Assert.Equal("PACED", paced.Code);
        Assert.Equal(TimeSpan.FromHours(1), paced.RetryAfter);
        Assert.Single(handler.Bodies);
    }

    private sealed class Handler((HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
    {
        public List<Uri> Uris { get; } = [];
        public List<string?> Authorizations { get; } = [];
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uris.Add(request.RequestUri!);
            Authorizations.Add(request.Headers.Authorization?.ToString());
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            var (status, body) = answers[Math.Min(Bodies.Count - 1, answers.Length - 1)];
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
