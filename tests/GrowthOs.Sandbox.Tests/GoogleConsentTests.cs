extern alias connector;

using System.Net;
using System.Text.Json;
using connector::GrowthOs.Connector.Ga4;
using connector::GrowthOs.Connector.GoogleAds;
using connector::GrowthOs.Connector.Marketing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>
/// The Sandbox's consent page and code exchange, held to Google's "OAuth 2.0 for Web Server Applications" and to its
/// captured refusals; the grant read by the Connector's own clients as a connection's check reads it.
/// </summary>
public sealed class GoogleConsentTests : IDisposable
{
    private const string ClientId = "consent-client.apps.googleusercontent.com";
    private const string ClientSecret = "GOCSPX-consent";
    private const string Callback = "https://growth.example.com/api/connections/google/callback";
    private const string AdWords = "https://www.googleapis.com/auth/adwords";
    private const string Analytics = "https://www.googleapis.com/auth/analytics.readonly";
    private readonly WebApplicationFactory<Program> _sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseSetting("Sandbox:GoogleOAuth:ClientId", ClientId)
        .UseSetting("Sandbox:GoogleOAuth:ClientSecret", ClientSecret)
        .UseSetting("Sandbox:GoogleOAuth:RedirectUris:0", Callback)
        .UseSetting("Sandbox:GoogleAds:Customers:0:Id", "4815162342")
        .UseSetting("Sandbox:GoogleAds:Customers:0:ManagerId", "1112223334")
        .UseSetting("Sandbox:GoogleAds:Customers:0:Shop", "demo-shop.myshopify.com")
        .UseSetting("Sandbox:GoogleAds:Customers:0:TimeZone", "Europe/Rome")
        .UseSetting("Sandbox:Ga4:Properties:0:Id", "314159265")
        .UseSetting("Sandbox:Ga4:Properties:0:Shop", "demo-shop.myshopify.com")
        .UseSetting("Sandbox:Ga4:Properties:0:TimeZone", "Europe/Rome"));

    private HttpClient Client() => _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private GoogleAccessTokens Tokens(HttpClient http) => new(http, Options.Create(new GoogleOAuthOptions
    {
        TokenUrl = new Uri(http.BaseAddress!, "/google-oauth/token").ToString(), ClientId = ClientId, ClientSecret = ClientSecret,
    }), TimeProvider.System, NullLogger<GoogleAccessTokens>.Instance);

    private static string Consent(string scope, string redirect = Callback, string clientId = ClientId, string prompt = "consent") =>
        $"/google-oauth/o/oauth2/v2/auth?client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code"
        + $"&scope={Uri.EscapeDataString(scope)}&access_type=offline&prompt={prompt}&state=nonce-1";

    private static async Task<Dictionary<string, string>> Approve(HttpClient client, string scope, string prompt = "consent")
    {
        var consent = await client.GetAsync(Consent(scope, prompt: prompt));
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!;
        Assert.StartsWith(Callback + "?", location.ToString());
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    private static JsonElement Fixture(string folder, string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, name))).RootElement;

    private static FormUrlEncodedContent Exchange(string code, string redirect = Callback) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
    });

    [Fact]
    public async Task The_consent_sends_the_person_back_with_a_code_exchanged_once_for_a_refresh_token_in_Googles_shape()
    {
        using var client = Client();
        var redirect = await Approve(client, AdWords);
        Assert.Equal(["authuser", "code", "prompt", "scope", "state"], redirect.Keys.Order());
        Assert.Equal(("nonce-1", AdWords), (redirect["state"], redirect["scope"]));
        Assert.StartsWith("4/0", redirect["code"]);

        var answer = await client.PostAsync("/google-oauth/token", Exchange(redirect["code"]));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        JsonShape.Assert(Fixture("GoogleOAuth", "authorization_code.json"), JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement);

        // Once: the same code again is the answer captured from Google's token endpoint.
        var again = await client.PostAsync("/google-oauth/token", Exchange(redirect["code"]));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var captured = Fixture("GoogleOAuth", "invalid_grant_code.json");
        var refused = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((captured.GetProperty("error").GetString(), captured.GetProperty("error_description").GetString()),
            (refused.GetProperty("error").GetString(), refused.GetProperty("error_description").GetString()));
        // A code given with another redirect URI than it was issued for.
        var moved = await client.PostAsync("/google-oauth/token", Exchange((await Approve(client, AdWords))["code"], "https://elsewhere.example.com/callback"));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("redirect_uri_mismatch", await moved.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_consent_that_cannot_be_sent_back_is_Googles_error_page_and_no_redirect()
    {
        using var client = Client();
        async Task Page(string url, HttpStatusCode status, string error)
        {
            var page = await client.GetAsync(url);
            Assert.Equal(status, page.StatusCode);
            Assert.Null(page.Headers.Location);
            Assert.Contains($"Error {(int)status}: {error}", await page.Content.ReadAsStringAsync());
        }
        await Page(Consent(AdWords, clientId: "unknown.apps.googleusercontent.com"), HttpStatusCode.Unauthorized, "invalid_client");
        await Page(Consent(AdWords, redirect: "https://attacker.example.com/steal"), HttpStatusCode.BadRequest, "redirect_uri_mismatch");
        await Page(Consent(""), HttpStatusCode.BadRequest, "invalid_request");
        await Page(Consent("https://www.googleapis.com/auth/not-a-scope"), HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task A_refresh_token_comes_with_the_first_consent_or_when_consent_is_asked_again_as_Google_gives_it()
    {
        using var client = Client();
        var tokens = Tokens(client);
        var first = await tokens.ExchangeCode((await Approve(client, Analytics, prompt: "select_account"))["code"], Callback, CancellationToken.None);
        var second = await tokens.ExchangeCode((await Approve(client, Analytics, prompt: "select_account"))["code"], Callback, CancellationToken.None);
        var asked = await tokens.ExchangeCode((await Approve(client, Analytics))["code"], Callback, CancellationToken.None);
        Assert.Equal((true, false, true), (first.RefreshToken is not null, second.RefreshToken is not null, asked.RefreshToken is not null));
        Assert.True(asked.Grants(Analytics));
        Assert.False(asked.Grants(AdWords));
    }

    [Fact]
    public async Task A_grant_reads_what_its_scope_allows_as_a_connections_check_and_nothing_once_revoked()
    {
        using var client = Client();
        var tokens = Tokens(client);
        var adsGrant = await tokens.ExchangeCode((await Approve(client, AdWords))["code"], Callback, CancellationToken.None);
        var ads = new GoogleAdsClient(client, Options.Create(new GoogleAdsOptions { BaseUrl = new Uri(client.BaseAddress!, "/google-ads").ToString() }),
            TimeProvider.System, NullLogger<GoogleAdsClient>.Instance, tokens);
        var customer = await ads.ReadCustomer("4815162342", "1112223334", adsGrant.AccessToken, CancellationToken.None);
        Assert.Equal(("USD", "Europe/Rome", "ENABLED", true), (customer.Currency, customer.TimeZone, customer.Status, customer.Usable));
        var raw = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/google-ads/v20/customers/4815162342/googleAds:searchStream")
        {
            Headers = { { "Authorization", $"Bearer {adsGrant.AccessToken}" }, { "login-customer-id", "1112223334" } },
            Content = new StringContent($$"""{"query":"{{GoogleAdsClient.CustomerQuery}}"}""", System.Text.Encoding.UTF8, "application/json"),
        });
        JsonShape.Assert(Fixture("GoogleAds", "search_stream_customer.json"), JsonDocument.Parse(await raw.Content.ReadAsStringAsync()).RootElement);
        // Without the manager it is reached through, Google Ads denies the customer in its words.
        var denied = await Assert.ThrowsAsync<MarketingApiException>(() => ads.ReadCustomer("4815162342", null, adsGrant.AccessToken, CancellationToken.None));
        Assert.Equal("PERMISSION_DENIED", denied.Code);

        var ga4 = new Ga4Client(client, Options.Create(new Ga4Options { AdminBaseUrl = new Uri(client.BaseAddress!, "/ga4-admin").ToString() }),
            TimeProvider.System, NullLogger<Ga4Client>.Instance, tokens);
        // A grant of Google Ads alone does not reach Analytics.
        Assert.Equal("UNAUTHENTICATED", (await Assert.ThrowsAsync<MarketingApiException>(
            () => ga4.ReadProperty("314159265", adsGrant.AccessToken, CancellationToken.None))).Code);
        var analytics = await tokens.ExchangeCode((await Approve(client, Analytics))["code"], Callback, CancellationToken.None);
        var property = await ga4.ReadProperty("314159265", analytics.AccessToken, CancellationToken.None);
        Assert.Equal(("USD", "Europe/Rome", null), (property.Currency, property.TimeZone, property.DeleteTime));
        var rawProperty = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/ga4-admin/v1beta/properties/314159265")
        {
            Headers = { { "Authorization", $"Bearer {analytics.AccessToken}" } },
        });
        JsonShape.Assert(Fixture("Ga4", "property.json"), JsonDocument.Parse(await rawProperty.Content.ReadAsStringAsync()).RootElement);
        Assert.Equal("PERMISSION_DENIED",
            (await Assert.ThrowsAsync<MarketingApiException>(() => ga4.ReadProperty("999999999", analytics.AccessToken, CancellationToken.None))).Code);

        // Revoked (by its refresh token, in a form body as Google documents it): its access tokens and the refresh token end.
        var revoke = await client.PostAsync("/google-oauth/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = analytics.RefreshToken! }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("UNAUTHENTICATED", (await Assert.ThrowsAsync<MarketingApiException>(
            () => ga4.ReadProperty("314159265", analytics.AccessToken, CancellationToken.None))).Code);
        tokens.Forget(analytics.RefreshToken);
        var renewal = await Assert.ThrowsAsync<MarketingApiException>(
            () => tokens.For("ga4", "properties/314159265", null, analytics.RefreshToken, CancellationToken.None));
        Assert.Contains("Token has been expired or revoked.", renewal.Message);
        var twice = await client.PostAsync("/google-oauth/revoke",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = analytics.RefreshToken! }));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("invalid_token", await twice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_grant_and_its_revocation_outlive_a_restart_of_the_Sandbox_as_Googles_do()
    {
        var state = Directory.CreateTempSubdirectory("sandbox-google-state-");
        try
        {
            WebApplicationFactory<Program> Started() => _sandbox.WithWebHostBuilder(web => web.UseSetting("Sandbox:StateDirectory", state.FullName));
            string kept, revoked;
            using (var first = Started())
            {
                using var client = first.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
                async Task<string> Granted()
                {
                    var answer = await client.PostAsync("/google-oauth/token", Exchange((await Approve(client, AdWords))["code"]));
                    return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("refresh_token").GetString()!;
                }
                (kept, revoked) = (await Granted(), await Granted());
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/google-oauth/revoke?token={Uri.EscapeDataString(revoked)}", null)).StatusCode);
            }

            // Started again on the same state: the refresh token still renews, the revoked one still does not.
            using var again = Started();
            using var restarted = again.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            async Task<HttpResponseMessage> Refresh(string token) => await restarted.PostAsync("/google-oauth/token", new FormUrlEncodedContent(
                new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token", ["refresh_token"] = token, ["client_id"] = ClientId, ["client_secret"] = ClientSecret,
                }));
            Assert.Equal(HttpStatusCode.OK, (await Refresh(kept)).StatusCode);
            var refused = await Refresh(revoked);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("invalid_grant", await refused.Content.ReadAsStringAsync());
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    public void Dispose() => _sandbox.Dispose();
}
