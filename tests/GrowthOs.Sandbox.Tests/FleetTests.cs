using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Tests;

/// <summary>A fleet of shops made from one setting (Sandbox:Fleet), each with ad accounts of its own.</summary>
public sealed class FleetTests : IDisposable
{
    private readonly SandboxHosts _sandbox = new();

    [Fact]
    public void Each_shop_of_the_fleet_has_its_own_seed_accounts_and_credentials_beside_the_listed_ones()
    {
        var sandbox = new SandboxOptions { Shops = [new SandboxShop { Domain = "demo-shop.myshopify.com", AccessToken = "shpat_demo" }] };
        new FleetSandboxOptions { Shops = 3, Seed = 100 }.AddTo(sandbox);

        Assert.Equal(["demo-shop.myshopify.com", "fleet-0001.myshopify.com", "fleet-0002.myshopify.com", "fleet-0003.myshopify.com"],
            sandbox.Shops.Select(s => s.Domain));
        Assert.Equal([101, 102, 103], sandbox.Shops.Skip(1).Select(s => s.Seed));
        Assert.Equal(4, sandbox.Shops.Select(s => s.AccessToken).Distinct().Count());
        Assert.Equal(["7100000001", "7100000002", "7100000003"], sandbox.Meta.AdAccounts.Select(a => a.Id));
        Assert.All(sandbox.GoogleAds.Customers, c => Assert.Matches("^[0-9]{10}$", c.Id));
        Assert.Equal(sandbox.Shops.Skip(1).Select(s => s.Domain), sandbox.Ga4.Properties.Select(p => p.Shop));
        Assert.Equal(3, sandbox.Ga4.Properties.Select(p => p.RefreshToken).Distinct().Count());
    }

    [Fact]
    public async Task A_fleet_shop_answers_its_own_token_only_and_its_accounts_answer_theirs()
    {
        var http = _sandbox.Start(new Dictionary<string, string?> { ["Sandbox:Fleet:Shops"] = "3", ["Sandbox:AnchorDate"] = "2026-11-30" });
        async Task<HttpStatusCode> Shop(string domain, string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/{domain}/admin/api/2026-01/graphql.json")
            {
                Content = JsonContent.Create(new { query = "{ shop { name } }" }),
            };
            request.Headers.Add("X-Shopify-Access-Token", token);
            return (await http.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Shop("fleet-0002.myshopify.com", FleetSandboxOptions.ShopToken(2)));
        Assert.Equal(HttpStatusCode.Unauthorized, await Shop("fleet-0003.myshopify.com", FleetSandboxOptions.ShopToken(2)));
        Assert.Equal(HttpStatusCode.NotFound, await Shop("fleet-0004.myshopify.com", FleetSandboxOptions.ShopToken(4)));

        var meta = await http.GetAsync($"/meta/v23.0/act_{FleetSandboxOptions.MetaAccount(3)}?fields=name&access_token={FleetSandboxOptions.MetaToken(3)}");
        Assert.Equal(HttpStatusCode.OK, meta.StatusCode);
        var otherToken =
            await http.GetAsync($"/meta/v23.0/act_{FleetSandboxOptions.MetaAccount(3)}?fields=name&access_token={FleetSandboxOptions.MetaToken(1)}");
        Assert.NotEqual(HttpStatusCode.OK, otherToken.StatusCode);

        var token = await http.PostAsync("/google-oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = FleetSandboxOptions.Ga4RefreshToken(1),
            ["client_id"] = new GoogleOAuthSandboxOptions().ClientId, ["client_secret"] = new GoogleOAuthSandboxOptions().ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.StartsWith("ya29.", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString());
    }

    public void Dispose() => _sandbox.Dispose();
}
