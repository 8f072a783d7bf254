using System.Net;
using System.Text;
using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.Connector.Tests;

/// <summary>Access tokens renewed from a refresh token with Google's token endpoint, on answers in Google's documented shapes (Fixtures/GoogleOAuth).</summary>
public sealed class GoogleAccessTokensTests
{
    private const string Shop = "oauth-shop.myshopify.com";
    private const string RefreshToken = "1//refresh-token-that-must-never-be-logged";
    private const string TokenUrl = "https://oauth2.googleapis.com/token";

    private static string Fixture(string path) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", path));

    private static (Ga4Client Client, Router Router, FakeTimeProvider Clock) Client(Func<HttpRequestMessage, int, (HttpStatusCode, string)> api,
        (HttpStatusCode, string) token)
    {
        var router = new Router(api, token);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero));
        var tokens = new GoogleAccessTokens(new HttpClient(router), Options.Create(new GoogleOAuthOptions { ClientId = "client-1", ClientSecret = "secret-1" }),
            clock, NullLogger<GoogleAccessTokens>.Instance);
        var settings = Options.Create(new Ga4Options
        {
            MaxInlineWaitSeconds = 0,
            MaxRequestsPerMinute = 100,
            Properties = [new Ga4Property { Shop = Shop, PropertyId = "213025502", RefreshToken = RefreshToken }],
        });
        return (new Ga4Client(new HttpClient(router), settings, clock, NullLogger<Ga4Client>.Instance, tokens), router, clock);
    }

    private static async Task Report(Ga4Client client)
    {
        await foreach (var _ in client.RunReport(Shop, new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1), CancellationToken.None)) { }
    }

    [Fact]
    public async Task A_refresh_token_is_exchanged_for_an_access_token_kept_until_shortly_before_it_expires()
    {
        var (client, router, clock) = Client((_, _) => (HttpStatusCode.OK, Fixture("Ga4/run_report_empty.json")),
            (HttpStatusCode.OK, Fixture("GoogleOAuth/token.json")));
        await Report(client);
        await Report(client);

        Assert.Single(router.TokenForms);
        Assert.Contains("grant_type=refresh_token", router.TokenForms[0]);
        Assert.Contains("client_id=client-1", router.TokenForms[0]);
        Assert.Contains("client_secret=secret-1", router.TokenForms[0]);
        Assert.Contains("refresh_token=" + Uri.EscapeDataString(RefreshToken), router.TokenForms[0]);
        Assert.All(router.ApiAuthorizations, a => Assert.Equal("Bearer 1/fFAGRNJru1FTz70BzhT3Zg", a));

        // expires_in 3920 s, renewed 300 s before.
        clock.Advance(TimeSpan.FromSeconds(3920 - 300));
        await Report(client);
        Assert.Equal(2, router.TokenForms.Count);
    }

    [Fact]
    public async Task A_renewed_token_the_API_refuses_is_renewed_once_more_and_the_call_made_again()
    {
        var (client, router, _) = Client((_, call) => call == 1
                ? (HttpStatusCode.Unauthorized, Fixture("Ga4/unauthenticated.json"))
                : (HttpStatusCode.OK, Fixture("Ga4/run_report_empty.json")),
            (HttpStatusCode.OK, Fixture("GoogleOAuth/token.json")));
        await Report(client);
        Assert.Equal((2, 2), (router.TokenForms.Count, router.ApiAuthorizations.Count));
    }

    [Fact]
    public async Task A_revoked_refresh_token_fails_clearly_for_good_without_naming_it()
    {
        var (client, router, _) = Client((_, _) => (HttpStatusCode.OK, Fixture("Ga4/run_report_empty.json")),
            (HttpStatusCode.BadRequest, Fixture("GoogleOAuth/invalid_grant.json")));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => Report(client));
        Assert.Equal(("UNAUTHENTICATED", false), (exception.Code, exception.Transient));
        Assert.Contains("Token has been expired or revoked.", exception.Message);
        Assert.DoesNotContain(RefreshToken, exception.Message);
        Assert.Empty(router.ApiAuthorizations);
    }

    [Fact]
    public async Task The_token_endpoint_failing_is_transient()
    {
        var (client, _, _) = Client((_, _) => (HttpStatusCode.OK, Fixture("Ga4/run_report_empty.json")),
            (HttpStatusCode.ServiceUnavailable, "{\"error\":\"temporarily_unavailable\"}"));
        var exception = await Assert.ThrowsAsync<MarketingApiException>(() => Report(client));
        Assert.True(exception.Transient);
    }

    private sealed class Router(Func<HttpRequestMessage, int, (HttpStatusCode, string)> api, (HttpStatusCode Status, string Body) token) : HttpMessageHandler
    {
        public List<string> TokenForms { get; } = [];
        public List<string?> ApiAuthorizations { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            (HttpStatusCode Status, string Body) answer;
            if (request.RequestUri!.ToString() == TokenUrl)
            {
                TokenForms.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
                answer = token;
            }
            else
            {
                ApiAuthorizations.Add(request.Headers.Authorization?.ToString());
                answer = api(request, ApiAuthorizations.Count);
            }
            return new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") };
        }
    }
}
