using System.Net;
using System.Text;
using System.Text.Json;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.Connector.Tests;

/// <summary>The Google Ads client held to answers in the shapes Google documents and public projects captured (Fixtures/GoogleAds).</summary>
public sealed class GoogleAdsClientTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string Token = "ya29.secretGoogleAdsAccessToken";
    private static readonly DateOnly Day = new(2026, 6, 1);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "GoogleAds", name));

    private static (GoogleAdsClient Client, Handler Handler) Client(HttpStatusCode status, string body, string? developerToken = "dev-token-123",
        string? manager = null, int dailyOperations = 15_000)
    {
        var handler = new Handler(status, body);
        var options = Options.Create(new GoogleAdsOptions
        {
            DeveloperToken = developerToken,
            DailyOperations = dailyOperations,
            Customers = [new GoogleAdsCustomer { Shop = Shop, CustomerId = "3552856345", LoginCustomerId = manager, AccessToken = Token }],
        });
        // A fixed clock: the day's operations are counted per UTC day, which must not turn between two calls of a test.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        return (new GoogleAdsClient(new HttpClient(handler), options, clock, NullLogger<GoogleAdsClient>.Instance), handler);
    }

    [Fact]
    public async Task A_search_stream_posts_the_GAQL_query_with_the_bearer_token_and_counts_the_rows_of_every_batch()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("search_stream.json"), manager: "123-456-7890");
        var answer = await client.SearchStream(Shop, Day, Day.AddDays(6), CancellationToken.None);

        Assert.Equal((1, 2), (answer.Batches, answer.Rows));
        Assert.Equal("https://googleads.googleapis.com/v20/customers/3552856345/googleAds:searchStream", handler.Uri!.ToString());
        Assert.Equal($"Bearer {Token}", handler.Authorization);
        Assert.Equal("dev-token-123", handler.DeveloperToken);
        Assert.Equal("1234567890", handler.LoginCustomerId);
        var query = JsonDocument.Parse(handler.Body!).RootElement.GetProperty("query").GetString()!;
        Assert.Contains("metrics.cost_micros", query);
        Assert.Contains("WHERE segments.date BETWEEN '2026-06-01' AND '2026-06-07'", query);
        Assert.Equal(Fixture("search_stream.json"), answer.Body);
    }

    [Fact]
    public async Task No_developer_token_header_is_sent_when_none_is_configured_and_an_empty_answer_has_no_rows()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("search_stream_empty.json"), developerToken: null);
        var answer = await client.SearchStream(Shop, Day, Day, CancellationToken.None);
        Assert.Equal((1, 0), (answer.Batches, answer.Rows));
        Assert.Null(handler.DeveloperToken);
        Assert.Null(handler.LoginCustomerId);
    }

    [Fact]
    public async Task An_exhausted_quota_is_transient_and_waits_the_retry_delay_Google_gives()
    {
        var (client, _) = Client(HttpStatusCode.TooManyRequests, Fixture("quota_exhausted.json"));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => client.SearchStream(Shop, Day, Day, CancellationToken.None));
        Assert.Equal(("RESOURCE_EXHAUSTED", true), (exception.Code, exception.Transient));
        Assert.Equal(TimeSpan.FromSeconds(40591), exception.RetryAfter);
    }

    [Fact]
    public async Task A_rejected_token_and_a_denied_customer_fail_clearly_and_for_good()
    {
        var (client, _) = Client(HttpStatusCode.Unauthorized, Fixture("unauthenticated.json"));
        var unauthenticated = await Assert.ThrowsAsync<MarketingApiException>(() => client.SearchStream(Shop, Day, Day, CancellationToken.None));
        Assert.Equal(("UNAUTHENTICATED", false), (unauthenticated.Code, unauthenticated.Transient));
        Assert.Contains("NOT_ADS_USER", unauthenticated.Message);
        Assert.DoesNotContain(Token, unauthenticated.Message);

        var (denying, _) = Client(HttpStatusCode.Forbidden, Fixture("permission_denied_in_array.json"));
        var denied = await Assert.ThrowsAsync<MarketingApiException>(() => denying.SearchStream(Shop, Day, Day, CancellationToken.None));
        Assert.Equal(("PERMISSION_DENIED", false), (denied.Code, denied.Transient));
        Assert.Contains("USER_PERMISSION_DENIED", denied.Message);
        Assert.Contains("LoginCustomerId", denied.Message);
    }

    [Fact]
    public async Task The_days_operations_are_counted_and_past_the_allowance_nothing_is_sent()
    {
        var (client, handler) = Client(HttpStatusCode.OK, Fixture("search_stream_empty.json"), dailyOperations: 2);
        await client.SearchStream(Shop, Day, Day, CancellationToken.None);
        await client.SearchStream(Shop, Day, Day, CancellationToken.None);
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => client.SearchStream(Shop, Day, Day, CancellationToken.None));
        Assert.Equal(("DAILY_OPERATIONS", true), (exception.Code, exception.Transient));
        Assert.True(exception.RetryAfter <= TimeSpan.FromDays(1));
        Assert.Equal(2, handler.Requests);
    }

    private sealed class Handler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public int Requests { get; private set; }
        public Uri? Uri { get; private set; }
        public string? Authorization { get; private set; }
        public string? DeveloperToken { get; private set; }
        public string? LoginCustomerId { get; private set; }
        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            Uri = request.RequestUri;
            Authorization = request.Headers.Authorization?.ToString();
            DeveloperToken = request.Headers.TryGetValues("developer-token", out var d) ? d.Single() : null;
            LoginCustomerId = request.Headers.TryGetValues("login-customer-id", out var l) ? l.Single() : null;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }
}
