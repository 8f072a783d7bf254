using System.Net;
using System.Text;
using GrowthOs.Connector.Klaviyo;
using GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The Klaviyo client held to answers in the shapes Klaviyo's specification and documentation give (Fixtures/Klaviyo, SOURCES.md).</summary>
public sealed class KlaviyoClientTests
{
    private const string Shop = "contract-shop.myshopify.com";
    private const string Key = "pk_secretKlaviyoKeyThatMustNotLeak";
    private static readonly DateOnly Day = new(2024, 1, 5);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Klaviyo", name));

    private static (KlaviyoClient Client, ScriptedHandler Handler) Client(params (HttpStatusCode Status, string Body, int? RetryAfter)[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var options = Options.Create(new KlaviyoOptions { Accounts = [new KlaviyoAccount { Shop = Shop, PrivateKey = Key }] });
        return (new KlaviyoClient(new HttpClient(handler), options, TimeProvider.System, NullLogger<KlaviyoClient>.Instance), handler);
    }

    private static async Task<List<MarketingPage>> All(KlaviyoClient client)
    {
        var pages = new List<MarketingPage>();
        await foreach (var page in client.Fetch(Shop, Day, Day, CancellationToken.None)) pages.Add(page);
        return pages;
    }

    [Fact]
    public async Task A_key_is_checked_with_the_account_it_reaches_and_sent_in_the_header_with_the_revision()
    {
        var (client, handler) = Client((HttpStatusCode.OK, Fixture("accounts.json"), null));

        Assert.Equal(("AbC123", "Klaviyo Demo", "US/Eastern", "USD"), await client.ReadAccount(Key, CancellationToken.None));
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://a.klaviyo.com/api/accounts", request.Uri.ToString());
        Assert.Equal($"Klaviyo-API-Key {Key}", request.Authorization);
        Assert.Equal("2025-07-15", request.Revision);
    }

    [Fact]
    public async Task A_long_throttle_defers_with_Klaviyos_Retry_After_and_a_missing_key_refuses_for_good_without_the_key()
    {
        var (throttled, _) = Client((HttpStatusCode.TooManyRequests, Fixture("throttled.json"), 300));
        var deferred = await Assert.ThrowsAsync<MarketingApiException>(() => All(throttled));
        Assert.Equal(("throttled", true, TimeSpan.FromSeconds(300)), (deferred.Code, deferred.Transient, deferred.RetryAfter));
        Assert.Contains("Expected available in 30 seconds", deferred.Message);

        var (refused, _) = Client((HttpStatusCode.Unauthorized, Fixture("not_authenticated.json"), null));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => All(refused));
        Assert.Equal(("not_authenticated", false), (exception.Code, exception.Transient));
        Assert.DoesNotContain(Key, exception.Message);
    }

    [Fact]
    public async Task A_next_link_off_Klaviyos_origin_is_not_followed_and_an_account_without_Placed_Order_is_said_so()
    {
        var offOrigin = """
            {"data":[],"links":{"self":"https://a.klaviyo.com/api/metrics","next":"https://a.klaviyo.com.evil.example/api/metrics?page%5Bcursor%5D=x"}}
            """;
        var (client, handler) = Client((HttpStatusCode.OK, Fixture("accounts.json"), null), (HttpStatusCode.OK, offOrigin, null));
        var malformed = await Assert.ThrowsAsync<MarketingApiException>(() => All(client));
        Assert.Equal(("MALFORMED_RESPONSE", false), (malformed.Code, malformed.Transient));
        Assert.Equal(2, handler.Requests.Count);

        var noOrders = """
            {"data":[{"type":"metric","id":"Kx7hOp","attributes":{"name":"Opened Email"}}],"links":{"self":"https://a.klaviyo.com/api/metrics","next":null}}
            """;
        var (without, _) = Client((HttpStatusCode.OK, Fixture("accounts.json"), null), (HttpStatusCode.OK, noOrders, null));
        Assert.Equal("NO_CONVERSION_METRIC", (await Assert.ThrowsAsync<MarketingApiException>(() => All(without))).Code);
    }

    private sealed record Sent(HttpMethod Method, Uri Uri, string? Authorization, string? Revision);

    private sealed class ScriptedHandler((HttpStatusCode Status, string Body, int? RetryAfter)[] answers) : HttpMessageHandler
    {
        public List<Sent> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new Sent(request.Method, request.RequestUri!,
                request.Headers.TryGetValues("Authorization", out var key) ? key.Single() : null,
                request.Headers.TryGetValues("revision", out var revision) ? revision.Single() : null));
            var (status, body, retryAfter) = answers[Math.Min(Requests.Count, answers.Length) - 1];
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/vnd.api+json") };
            if (retryAfter is { } seconds) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            return Task.FromResult(response);
        }
    }
}
