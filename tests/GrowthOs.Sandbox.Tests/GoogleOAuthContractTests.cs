extern alias connector;

using System.Net;
using System.Text.Json;
using connector::GrowthOs.Connector.Ga4;
using connector::GrowthOs.Connector.GoogleAds;
using connector::GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The Connector's access tokens renewed with a refresh token at the Sandbox's Google OAuth token endpoint, and used on Google Ads and GA4.</summary>
public sealed class GoogleOAuthContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string ClientId = "contract-client.apps.googleusercontent.com";
    private const string ClientSecret = "GOCSPX-contract";
    private const string RefreshToken = "1//contract-refresh-token";
    private static readonly DateOnly Anchor = new(2026, 11, 30);
    private readonly SandboxHosts _sandbox = new();

    private (HttpClient Http, GoogleAccessTokens Tokens) Sandbox(int lifetimeSeconds = 3599, string clientSecret = ClientSecret,
        TimeProvider? clientClock = null)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:AnchorDate"] = Anchor.ToString("yyyy-MM-dd"),
            ["Sandbox:GoogleOAuth:ClientId"] = ClientId,
            ["Sandbox:GoogleOAuth:ClientSecret"] = ClientSecret,
            ["Sandbox:GoogleOAuth:AccessTokenLifetimeSeconds"] = lifetimeSeconds.ToString(),
            ["Sandbox:Ga4:Properties:0:Id"] = "314159265",
            ["Sandbox:Ga4:Properties:0:AccessToken"] = "ya29.fixed-ga4-token",
            ["Sandbox:Ga4:Properties:0:RefreshToken"] = RefreshToken,
            ["Sandbox:Ga4:Properties:0:Shop"] = Shop,
            ["Sandbox:GoogleAds:Customers:0:Id"] = "4815162342",
            ["Sandbox:GoogleAds:Customers:0:AccessToken"] = "ya29.fixed-ads-token",
            ["Sandbox:GoogleAds:Customers:0:RefreshToken"] = RefreshToken + "-ads",
            ["Sandbox:GoogleAds:Customers:0:Shop"] = Shop,
        });
        var tokens = new GoogleAccessTokens(http, Options.Create(new GoogleOAuthOptions
        {
            TokenUrl = new Uri(http.BaseAddress!, "/google-oauth/token").ToString(), ClientId = ClientId, ClientSecret = clientSecret, RenewBeforeSeconds = 0,
        }), clientClock ?? TimeProvider.System, NullLogger<GoogleAccessTokens>.Instance);
        return (http, tokens);
    }

    private static Ga4Client Ga4(HttpClient http, GoogleAccessTokens tokens, string refreshToken = RefreshToken) => new(http, Options.Create(new Ga4Options
    {
        BaseUrl = new Uri(http.BaseAddress!, "/ga4").ToString(),
        MaxInlineWaitSeconds = 0,
        MaxRequestsPerMinute = 100,
        Properties = [new Ga4Property { Shop = Shop, PropertyId = "314159265", RefreshToken = refreshToken }],
    }), TimeProvider.System, NullLogger<Ga4Client>.Instance, tokens);

    private static async Task<int> Rows(Ga4Client client)
    {
        var rows = 0;
        await foreach (var page in client.RunReport(Shop, Anchor.AddDays(-1), Anchor, CancellationToken.None)) rows += page.Rows;
        return rows;
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "GoogleOAuth", name))).RootElement;

    [Fact]
    public async Task A_refresh_token_gets_an_access_token_in_Googles_shape_that_GA4_and_Google_Ads_accept()
    {
        var (http, tokens) = Sandbox();
        Assert.Equal(12, await Rows(Ga4(http, tokens)));

        var ads = new GoogleAdsClient(http, Options.Create(new GoogleAdsOptions
        {
            BaseUrl = new Uri(http.BaseAddress!, "/google-ads").ToString(),
            Customers = [new GoogleAdsCustomer { Shop = Shop, CustomerId = "4815162342", RefreshToken = RefreshToken + "-ads" }],
        }), TimeProvider.System, NullLogger<GoogleAdsClient>.Instance, tokens);
        Assert.Equal(8, (await ads.SearchStream(Shop, Anchor.AddDays(-1), Anchor, CancellationToken.None)).Rows);

        var answer = await http.PostAsync("/google-oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = RefreshToken, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
        }));
        JsonShape.Assert(Fixture("token.json"), JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task A_revoked_refresh_token_and_a_wrong_client_are_refused_in_Googles_words()
    {
        var (http, tokens) = Sandbox();
        var revoked = await Assert.ThrowsAsync<MarketingApiException>(() => Rows(Ga4(http, tokens, "1//not-granted")));
        Assert.Equal(("UNAUTHENTICATED", false), (revoked.Code, revoked.Transient));
        Assert.Contains("invalid_grant", revoked.Message);

        var refused = await http.PostAsync("/google-oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = "1//not-granted", ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        JsonShape.Assert(Fixture("invalid_grant.json"), JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement);

        var (otherHttp, wrongClient) = Sandbox(clientSecret: "GOCSPX-wrong");
        var client = await Assert.ThrowsAsync<MarketingApiException>(() => Rows(Ga4(otherHttp, wrongClient)));
        Assert.Contains("invalid_client", client.Message);
    }

    [Fact]
    public async Task A_token_that_expired_before_the_client_expected_is_refused_then_renewed_and_the_report_read()
    {
        // The client's clock stands still: it would keep the token; the Sandbox's runs on and expires it after a second.
        var (http, tokens) = Sandbox(lifetimeSeconds: 1, clientClock: new FakeTimeProvider(DateTimeOffset.UtcNow));
        var client = Ga4(http, tokens);
        Assert.Equal(12, await Rows(client));
        await Task.Delay(1_200);
        Assert.Equal(12, await Rows(client));
    }

    public void Dispose() => _sandbox.Dispose();
}
