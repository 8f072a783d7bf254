using Microsoft.Playwright;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The dashboard's Connections page in Chromium against the running system: an admin connects a shop with its token
/// and another through Shopify's install flow (the browser goes to the Sandbox's consent page and back), adds a shop's
/// Meta ad account and its Google Ads customer (through Google's consent page), sees what each check found, pauses,
/// resumes, reschedules, deletes and purges; a viewer sees the connections and none of the actions.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ConnectionsPageTests(RunningSystem system) : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        await Dashboard.EnsureBuilt();
        (_playwright, _browser) = await Dashboard.LaunchBrowser();
        Directory.CreateDirectory(Dashboard.Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    private async Task<IPage> Connections(string key)
    {
        var context = await _browser!.NewContextAsync(new() { Locale = "en-US", TimezoneId = "UTC", ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") _consoleErrors.Add($"{message.Text} ({message.Location})"); };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        await page.GotoAsync(new Uri(system.Gateway, "/#connections").ToString());
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("#connections[data-state='ready']").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    private static ILocator Row(IPage page, string shop) => page.Locator("#connections tbody tr").Filter(new() { HasText = shop });

    [Fact]
    public async Task An_admin_connects_a_shop_with_its_token_pauses_resumes_reschedules_and_deletes_it()
    {
        const string shop = RunningSystem.PageTokenShop;
        var page = await Connections(RunningSystem.ApiKey);
        await page.GetByLabel("Store domain").FillAsync(shop);
        await page.GetByLabel("Admin API token").FillAsync(RunningSystem.ConnectedShopToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect with the token" }).ClickAsync();

        var row = Row(page, shop);
        await row.Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal($"{shop} connected and checked.", await page.Locator("#connections-notice").InnerTextAsync());
        Assert.Equal("", await page.GetByLabel("Admin API token").InputValueAsync());
        Assert.Equal("Page Token Shop", (await row.Locator("strong").InnerTextAsync()).Trim());
        Assert.Equal("EUR · Europe/Paris · Grow", (await row.Locator("[data-field='found']").InnerTextAsync()).Trim());
        Assert.DoesNotContain(RunningSystem.ConnectedShopToken, await page.ContentAsync());
        await row.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "connection-row.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause {shop}" }).ClickAsync();
        await row.Locator("[data-field='status']", new() { HasText = "paused" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Resume {shop}" }).ClickAsync();
        await row.Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync();

        await page.GetByLabel($"Schedule of {shop} (cron, Europe/Paris)").FillAsync("15 5 * * 1-5");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await row.Locator("[data-field='cron']", new() { HasText = "15 5 * * 1-5" }).WaitForAsync();
        // A schedule that is not cron is refused with the problem's words, and nothing changes.
        await page.GetByLabel($"Schedule of {shop} (cron, Europe/Paris)").FillAsync("every morning");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save schedule" }).ClickAsync();
        await page.Locator("#connections-notice[role='alert']").WaitForAsync();
        Assert.Contains("every morning", await page.Locator("#connections-notice").InnerTextAsync());
        Assert.Equal("15 5 * * 1-5", (await Row(page, shop).Locator("[data-field='cron']").InnerTextAsync()).Trim());

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {shop}" }).ClickAsync();
        await page.Locator("#connections-notice", new() { HasText = "deleted" }).WaitForAsync();
        // The list is read again after the notice: the row goes once it has been.
        await Row(page, shop).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0, await Row(page, shop).CountAsync());
        Assert.Equal(1L, await system.Scalar(
            $"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}' AND status = 'disconnected' AND credential IS NULL"));
        Assert.DoesNotContain(_consoleErrors, e => !e.Contains("status of 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_admin_installs_the_app_from_the_page_and_comes_back_to_the_connection_it_made()
    {
        const string shop = RunningSystem.PageInstallShop;
        var page = await Connections(RunningSystem.ApiKey);
        await page.GetByLabel("Store domain").FillAsync(shop);
        await page.GetByRole(AriaRole.Button, new() { Name = "Install the app" }).ClickAsync();

        // Shopify's consent page approves at once and sends the browser back through the gateway's callback.
        await page.WaitForURLAsync(url => url.Contains("#connections", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await page.Locator("#connections-notice", new() { HasText = "Connected: connection" }).WaitForAsync(new() { Timeout = 15_000 });
        var row = Row(page, shop);
        await row.Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync();
        Assert.Equal("AUD · Australia/Sydney · Advanced", (await row.Locator("[data-field='found']").InnerTextAsync()).Trim());
        Assert.DoesNotContain("connection_id", page.Url);

        // Deleted with purge: every service says what it removed, and the page says how much.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Purge {shop}" }).ClickAsync();
        await page.Locator("#connections-notice", new() { HasText = "deleted and purged:" }).WaitForAsync(new() { Timeout = 30_000 });
        Assert.Matches(@"deleted and purged: [1-9]\d* rows and \d+ archived objects removed\.", await page.Locator("#connections-notice").InnerTextAsync());
        await Row(page, shop).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(0L, await system.Scalar($"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}'"));
    }

    [Fact]
    public async Task An_admin_adds_a_shops_meta_ad_account_with_its_token_and_its_google_ads_customer_through_googles_consent()
    {
        const string shop = RunningSystem.PageAccountsShop;
        var page = await Connections(RunningSystem.ApiKey);
        await page.GetByLabel("Store domain").FillAsync(shop);
        await page.GetByLabel("Meta ad account").FillAsync($"act_{RunningSystem.PageMetaAccount}");
        await page.GetByLabel("Meta token").FillAsync(RunningSystem.PageMetaToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect the Meta ad account" }).ClickAsync();
        var meta = Row(page, $"Meta act_{RunningSystem.PageMetaAccount}");
        await meta.Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal($"Meta ad account act_{RunningSystem.PageMetaAccount} of {shop} connected and checked.",
            await page.Locator("#connections-notice").InnerTextAsync());
        Assert.Equal("", await page.GetByLabel("Meta token").InputValueAsync());
        Assert.DoesNotContain(RunningSystem.PageMetaToken, await page.ContentAsync());

        // Google Ads: the browser goes to Google's consent page and comes back through the gateway's callback to the row it made.
        await page.GetByLabel("Store domain").FillAsync(shop);
        await page.GetByLabel("Google Ads customer").FillAsync("740-000-0002");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Google Ads with Google" }).ClickAsync();
        await page.Locator("#connections-notice", new() { HasText = "Connected: connection" }).WaitForAsync(new() { Timeout = 30_000 });
        var ads = Row(page, $"Google Ads {RunningSystem.PageGoogleAdsCustomer}");
        await ads.Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("EUR · Europe/Vienna · ENABLED", (await ads.Locator("[data-field='found']").InnerTextAsync()).Trim());
        Assert.DoesNotContain("connection_id", page.Url);

        // Each row acts on its own connection: pausing the ad account leaves the customer as it was; a purge is offered for a whole shop only.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause {shop} Meta act_{RunningSystem.PageMetaAccount}" }).ClickAsync();
        await Row(page, $"Meta act_{RunningSystem.PageMetaAccount}").Locator("[data-field='status']", new() { HasText = "paused" }).WaitForAsync();
        Assert.Equal("active", (await Row(page, $"Google Ads {RunningSystem.PageGoogleAdsCustomer}").Locator("[data-field='status']").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.Locator("#connections tbody tr").Filter(new() { HasText = shop })
            .GetByRole(AriaRole.Button, new() { Name = "Delete and purge" }).CountAsync());
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Delete {shop} Google Ads {RunningSystem.PageGoogleAdsCustomer}" }).ClickAsync();
        await Row(page, $"Google Ads {RunningSystem.PageGoogleAdsCustomer}").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        Assert.Equal(1L, await system.Scalar(
            $"SELECT count(*) FROM connector.connection WHERE shop_domain = '{shop}' AND provider = 'google_ads' AND status = 'disconnected' "
            + "AND credential IS NULL"));
        Assert.DoesNotContain(_consoleErrors, e => !e.Contains("status of 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_viewer_sees_the_connections_and_none_of_the_actions()
    {
        using var http = system.GatewayClient();
        var connected = await http.PostAsync("/api/connections",
            System.Net.Http.Json.JsonContent.Create(new { shop = RunningSystem.PageViewerShop, access_token = RunningSystem.ConnectedShopToken }));
        Assert.Equal(System.Net.HttpStatusCode.Created, connected.StatusCode);
        var page = await Connections(RunningSystem.ViewerKey);
        Assert.True(await page.Locator("#connect-form").IsHiddenAsync());
        await Row(page, RunningSystem.PageViewerShop).Locator("[data-field='status']", new() { HasText = "active" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("#connections .row-actions button").CountAsync());
        Assert.Equal("page", await page.Locator("#view-connections").GetAttributeAsync("aria-current"));
    }
}
