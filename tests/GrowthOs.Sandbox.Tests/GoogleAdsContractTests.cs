extern alias connector;

using System.Text.Json;
using connector::GrowthOs.Connector.GoogleAds;
using connector::GrowthOs.Connector.Marketing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Tests;

/// <summary>The Connector's Google Ads client against the Sandbox's searchStream over HTTP, and the Sandbox held to the Connector's fixtures.</summary>
public sealed class GoogleAdsContractTests : IDisposable
{
    private const string Shop = "demo-shop.myshopify.com";
    private const string CustomerId = "4815162342";
    private const string Token = "ya29.sandboxContractToken";
    private static readonly DateOnly Anchor = new(2026, 11, 30);
    private readonly SandboxHosts _sandbox = new();

    private GoogleAdsClient Connect(string? failure = null, string? manager = null, string? loginCustomerId = null, string token = Token)
    {
        var http = _sandbox.Start(new Dictionary<string, string?>
        {
            ["Sandbox:AnchorDate"] = Anchor.ToString("yyyy-MM-dd"),
            ["Sandbox:GoogleAds:BatchSize"] = "50",
            ["Sandbox:GoogleAds:Customers:0:Id"] = CustomerId,
            ["Sandbox:GoogleAds:Customers:0:AccessToken"] = Token,
            ["Sandbox:GoogleAds:Customers:0:Shop"] = Shop,
            ["Sandbox:GoogleAds:Customers:0:ManagerId"] = manager,
            ["Sandbox:GoogleAds:Customers:0:Failures:0"] = failure,
        });
        var options = Options.Create(new GoogleAdsOptions
        {
            BaseUrl = new Uri(http.BaseAddress!, "/google-ads").ToString(),
            Customers = [new GoogleAdsCustomer { Shop = Shop, CustomerId = CustomerId, LoginCustomerId = loginCustomerId, AccessToken = token }],
        });
        return new GoogleAdsClient(http, options, TimeProvider.System, NullLogger<GoogleAdsClient>.Instance);
    }

    private static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "GoogleAds", name))).RootElement;

    [Fact]
    public async Task Thirty_days_come_in_batches_in_proto3_JSON_one_row_per_campaign_and_day()
    {
        var answer = await Connect().SearchStream(Shop, Anchor.AddDays(-29), Anchor, CancellationToken.None);

        Assert.Equal((3, 120), (answer.Batches, answer.Rows));
        using var body = JsonDocument.Parse(answer.Body);
        // The fixture is a whole answer in one batch: the Sandbox's last batch, which carries queryResourceConsumption too, has its shape.
        JsonShape.Assert(Fixture("search_stream.json")[0], body.RootElement[2]);
        var row = body.RootElement[0].GetProperty("results")[0];
        Assert.Equal(JsonValueKind.String, row.GetProperty("metrics").GetProperty("costMicros").ValueKind);
        Assert.Equal(JsonValueKind.Number, row.GetProperty("metrics").GetProperty("conversionsValue").ValueKind);
        Assert.StartsWith($"customers/{CustomerId}/campaigns/", row.GetProperty("campaign").GetProperty("resourceName").GetString());
        Assert.True(body.RootElement[2].TryGetProperty("queryResourceConsumption", out _));
    }

    [Fact]
    public async Task A_range_with_no_delivery_is_one_batch_without_results()
    {
        var answer = await Connect().SearchStream(Shop, new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 7), CancellationToken.None);
        Assert.Equal((1, 0), (answer.Batches, answer.Rows));
        using var body = JsonDocument.Parse(answer.Body);
        JsonShape.Assert(Fixture("search_stream_empty.json")[0], body.RootElement[0]);
        Assert.False(body.RootElement[0].TryGetProperty("results", out _));
    }

    [Fact]
    public async Task A_bad_token_is_unauthenticated_and_a_manager_account_needs_login_customer_id()
    {
        var unauthenticated = await Assert.ThrowsAsync<MarketingApiException>(
            () => Connect(token: "ya29.wrong").SearchStream(Shop, Anchor, Anchor, CancellationToken.None));
        Assert.Equal(("UNAUTHENTICATED", false), (unauthenticated.Code, unauthenticated.Transient));

        var denied = await Assert.ThrowsAsync<MarketingApiException>(
            () => Connect(manager: "9876543210").SearchStream(Shop, Anchor, Anchor, CancellationToken.None));
        Assert.Equal(("PERMISSION_DENIED", false), (denied.Code, denied.Transient));
        Assert.Contains("login-customer-id", denied.Message);

        var throughManager = await Connect(manager: "9876543210", loginCustomerId: "987-654-3210").SearchStream(Shop, Anchor, Anchor, CancellationToken.None);
        Assert.Equal(4, throughManager.Rows);
    }

    [Fact]
    public async Task An_exhausted_quota_gives_the_wait_until_the_quota_renews()
    {
        var exception = await Assert.ThrowsAsync<MarketingApiException>(
            () => Connect(failure: "QUOTA:1").SearchStream(Shop, Anchor, Anchor, CancellationToken.None));
        Assert.Equal(("RESOURCE_EXHAUSTED", true), (exception.Code, exception.Transient));
        Assert.InRange(exception.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
    }

    public void Dispose() => _sandbox.Dispose();
}
