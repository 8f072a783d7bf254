using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Sandbox.Shopify;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The Sandbox's authorization code grant, held to Shopify's documented flow and its recorded refusals.</summary>
public sealed class ShopifyOAuthTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string Secret = "shpss_oauth_test_secret";
    private const string Callback = "https://growth.example.com/api/connections/shopify/callback";
    private readonly WebApplicationFactory<Program> _sandbox = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseSetting("Sandbox:Shops:0:AppSecret", Secret)
        .UseSetting("Sandbox:Shops:0:AccessToken", "shpat_oauth_test_token"));

    private HttpClient Client() => _sandbox.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Fact]
    public void The_query_is_signed_as_shopifys_documented_example()
    {
        // Shopify's own example of a signed redirect (quoted in exshopify's Shopify.HMAC docs): secret "hush".
        var parameters = new Dictionary<string, string>
        {
            ["code"] = "0907a61c0c8d55e99db179b68161bc00", ["shop"] = "some-shop.myshopify.com", ["timestamp"] = "1337178173",
        };
        Assert.Equal("4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20", ShopifyOAuth.Sign(parameters, "hush"));
    }

    private async Task<Dictionary<string, string>> Approve(HttpClient client, string state = "nonce-1")
    {
        var consent = await client.GetAsync($"/{Shop}/admin/oauth/authorize?client_id=sandbox-shopify-client-id&scope=read_orders,read_products" +
                                            $"&redirect_uri={Uri.EscapeDataString(Callback)}&state={state}");
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!.ToString();
        Assert.StartsWith(Callback + "?", location);
        return QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    [Fact]
    public async Task The_consent_sends_the_merchant_back_signed_and_the_code_is_exchanged_once_for_the_shops_offline_token()
    {
        using var client = Client();
        var redirect = await Approve(client);
        Assert.Equal(["code", "hmac", "host", "shop", "state", "timestamp"], redirect.Keys.Order());
        Assert.Equal((Shop, "nonce-1"), (redirect["shop"], redirect["state"]));
        Assert.Equal(ShopifyOAuth.Sign(redirect, Secret), redirect["hmac"]);
        Assert.InRange(long.Parse(redirect["timestamp"]), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var exchange = await client.PostAsJsonAsync($"/{Shop}/admin/oauth/access_token",
            new { client_id = "sandbox-shopify-client-id", client_secret = Secret, code = redirect["code"] });
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        var grant = await exchange.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("shpat_oauth_test_token", "read_orders,read_products"),
            (grant.GetProperty("access_token").GetString(), grant.GetProperty("scope").GetString()));

        // Used once: again, it is the code Shopify no longer knows.
        var again = await client.PostAsJsonAsync($"/{Shop}/admin/oauth/access_token",
            new { client_id = "sandbox-shopify-client-id", client_secret = Secret, code = redirect["code"] });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("""{"error":"invalid_request","error_description":"The authorization code was not found or was already used"}""",
            await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_wrong_secret_a_bad_code_an_unknown_client_and_an_unlisted_redirect_are_refused_as_shopify_refuses_them()
    {
        using var client = Client();
        var code = (await Approve(client))["code"];
        var wrongSecret = await client.PostAsync($"/{Shop}/admin/oauth/access_token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "sandbox-shopify-client-id", ["client_secret"] = "shpss_wrong", ["code"] = code,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, wrongSecret.StatusCode);
        Assert.Equal("invalid_client", (await wrongSecret.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var badCode = await client.PostAsJsonAsync($"/{Shop}/admin/oauth/access_token",
            new { client_id = "sandbox-shopify-client-id", client_secret = Secret, code = "0000" });
        Assert.Equal("invalid_request", (await badCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var unknownClient = await client.GetAsync(
            $"/{Shop}/admin/oauth/authorize?client_id=other&scope=read_orders&redirect_uri={Uri.EscapeDataString(Callback)}");
        Assert.Equal(HttpStatusCode.BadRequest, unknownClient.StatusCode);
        Assert.Contains("Oauth error invalid_request", await unknownClient.Content.ReadAsStringAsync());

        using var listed = _sandbox.WithWebHostBuilder(web => web.UseSetting("Sandbox:ShopifyApp:RedirectUris:0", Callback))
            .CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var unlisted = await listed.GetAsync(
            $"/{Shop}/admin/oauth/authorize?client_id=sandbox-shopify-client-id&scope=read_orders&redirect_uri=https%3A%2F%2Fevil.example%2F");
        Assert.Contains("redirect_uri is missing or not whitelisted", await unlisted.Content.ReadAsStringAsync());
    }

    public void Dispose() => _sandbox.Dispose();
}
