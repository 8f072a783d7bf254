using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// The staff dashboard in a real browser (Chromium through Playwright) against the running system, after a demo sync of
/// <see cref="RunningSystem.DashboardShop"/> (Shopify and the three marketing sources): each tile shows the figures of
/// the API it reads, a viewer sees no run buttons, an operator starts a sync from the page and watches it complete, a
/// bad key gets the sign-in error. Each tile's screenshot is saved with the test results (.local/test-results/dashboard).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DashboardTests(RunningSystem system) : IAsyncLifetime
{
    private const string Shop = RunningSystem.DashboardShop;
    private static readonly SemaphoreSlim SyncLock = new(1, 1);
    private static bool _synced;
    /// <summary>As the page formats in en-US (the invariant culture groups and points as en-US does; the tests run without ICU).</summary>
    private static readonly CultureInfo UnitedStates = CultureInfo.InvariantCulture;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _requested = [];

    /// <summary>The shop's reporting time zone (the browser's is UTC: what the page shows must follow the shop's).</summary>
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(RunningSystem.DashboardTimeZone);

    /// <summary>The page's default period: the shop's 30 days up to its yesterday, as the page computes it when it loads (at each use, not once).</summary>
    private static DateOnly To => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime).AddDays(-1);
    private static DateOnly From => To.AddDays(-29);

    public async Task InitializeAsync()
    {
        await DemoSync();
        (_playwright, _browser) = await Dashboard.LaunchBrowser();
        Directory.CreateDirectory(Dashboard.Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>Once for every test here: the shop synced, its marketing too, and the KPI/Alert service holding its copy.</summary>
    private async Task DemoSync()
    {
        await SyncLock.WaitAsync();
        try
        {
            if (_synced) return;
            using var http = system.GatewayClient();
            var sync = await system.StartSync(http, Shop, ["orders", "products", "inventory", "customers"]);
            var marketing = await http.PostAsJsonAsync("/api/marketing/sync", new { shop = Shop });
            Assert.True(marketing.StatusCode == HttpStatusCode.Accepted, await marketing.Content.ReadAsStringAsync());
            var runs = (await marketing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs").EnumerateArray()
                .Select(r => r.GetProperty("run_id").GetGuid()).Prepend(sync);
            foreach (var run in runs)
            {
                var finished = await system.WaitForRunToFinish(http, run);
                Assert.True(finished.GetProperty("status").GetString() == "completed", $"demo run ended {finished}\n{system.AllLogs()}");
            }
            // The KPI/Alert service's copies arrive by events, each in its own time: the tiles are compared with the API only
            // once what it answers has settled (the same twice, a second apart), or a late copy would move one side only.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            string? before = null;
            while (true)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the KPI/Alert service's copies of the shop never settled\n{system.AllLogs()}");
                var kpis = await http.GetAsync($"/api/kpis?shop={Shop}");
                // The pipelines' answer also says when it was asked (since, until): only what it counts is compared.
                var pipelines = await http.GetFromJsonAsync<JsonElement>($"/analytics/pipelines?shop={Shop}");
                var now = kpis.StatusCode == HttpStatusCode.OK
                    ? await kpis.Content.ReadAsStringAsync() + await http.GetStringAsync($"/api/alerts?shop={Shop}")
                      + pipelines.GetProperty("pipelines").GetRawText() + pipelines.GetProperty("rate_limit_windows").GetRawText()
                    : null;
                if (now is not null && now == before) break;
                before = now;
                await Task.Delay(1000);
            }
            _synced = true;
        }
        finally
        {
            SyncLock.Release();
        }
    }

    private async Task<IPage> Open(int width = 1366, int height = 900)
    {
        var context = await _browser!.NewContextAsync(new() { Locale = "en-US", TimezoneId = "UTC", ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // A run just accepted is not yet recorded: the page asks again after its 404 (which the browser logs).
            var runNotYetRecorded = message.Text.Contains("status of 404", StringComparison.Ordinal)
                && message.Location.Contains("/api/ingest/runs/", StringComparison.Ordinal);
            if (message.Type == "error" && !runNotYetRecorded) _consoleErrors.Add($"{message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        page.Request += (_, request) => _requested.Add(request.Url);
        var response = await page.GotoAsync(system.Gateway.ToString());
        Assert.Equal(200, response!.Status);
        return page;
    }

    private static async Task SignIn(IPage page, string key)
    {
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in, picks the demo shop, and waits until every tile has drawn what it read for it.</summary>
    private async Task<IPage> Dashboard_(string key = RunningSystem.ViewerKey, int width = 1366, int height = 900)
    {
        var page = await Open(width, height);
        await SignIn(page, key);
        await page.Locator("#dashboard:not([hidden])").WaitForAsync();
        await page.GetByLabel("Shop").SelectOptionAsync(Shop);
        await page.Locator($"#dashboard[data-loaded='{Shop}|{From:yyyy-MM-dd}|{To:yyyy-MM-dd}']").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    private async Task<JsonElement> Api(string pathAndQuery)
    {
        using var http = system.GatewayClient(RunningSystem.ViewerKey);
        var response = await http.GetAsync(pathAndQuery);
        Assert.True(response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task Screenshot(ILocator tile, string name) =>
        await tile.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, $"{name}.png") });

    private static string Usd(long minor) => (minor < 0 ? "-$" : "$") + (Math.Abs(minor) / 100m).ToString("N2", UnitedStates);

    private static async Task<string> Raw(ILocator tile, string figure) =>
        (await tile.Locator($"[data-figure='{figure}']").GetAttributeAsync("data-raw"))!;

    private static async Task<string> Shown(ILocator tile, string figure) =>
        (await tile.Locator($"[data-figure='{figure}'] dd").InnerTextAsync()).Trim();

    /// <summary>Two JSON numbers (or their texts) are the same number: 0.1500 is 0.15.</summary>
    private static void SameNumber(JsonElement expected, string? actual, string what)
    {
        if (expected.ValueKind == JsonValueKind.Null) Assert.True(string.IsNullOrEmpty(actual), $"{what}: expected none, shown {actual}");
        else Assert.True(actual is not null && decimal.Parse(actual, NumberStyles.Float, CultureInfo.InvariantCulture) == expected.GetDecimal(),
            $"{what}: API {expected}, page {actual}");
    }

    [Fact]
    public async Task The_sales_pulse_tile_shows_the_api_figures_in_the_shops_currency()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-sales");
        var api = await Api($"/api/dashboard/sales-pulse?shop={Shop}&days=30");

        Assert.Equal("ready", await tile.GetAttributeAsync("data-state"));
        Assert.NotEmpty(api.GetProperty("days").EnumerateArray());
        foreach (var (figure, field) in new[] { ("revenue", "revenue_minor"), ("orders", "orders"), ("aov", "aov_minor"),
            ("fulfillment_rate", "fulfillment_rate"), ("net_sales", "net_sales_minor") })
            SameNumber(api.GetProperty(field), await Raw(tile, figure), figure);
        Assert.Equal("USD", api.GetProperty("currency_code").GetString());
        Assert.Equal(Usd(api.GetProperty("revenue_minor").GetInt64()), await Shown(tile, "revenue"));
        Assert.Equal(Usd(api.GetProperty("aov_minor").GetInt64()), await Shown(tile, "aov"));
        Assert.Equal(Usd(api.GetProperty("net_sales_minor").GetInt64()), await Shown(tile, "net_sales"));
        Assert.Equal(api.GetProperty("orders").GetInt64().ToString("N0", UnitedStates), await Shown(tile, "orders"));
        Assert.Equal((api.GetProperty("fulfillment_rate").GetDecimal() * 100).ToString("0.0", UnitedStates) + "%", await Shown(tile, "fulfillment_rate"));
        await tile.Locator("[data-chart='sales'] canvas[role='img']").WaitForAsync();
        await Screenshot(tile, "sales-pulse");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_kpi_tile_shows_the_18_kpis_with_their_previous_values_and_arrows_coloured_by_whether_the_change_is_good()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-kpis");
        var api = await Api($"/api/kpis?shop={Shop}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        var kpis = api.GetProperty("kpis").EnumerateArray().ToList();

        Assert.Equal(18, kpis.Count);
        Assert.Equal(18, await tile.Locator("[data-kpi]").CountAsync());
        string[] lowerIsBetter = ["refund_rate", "cac", "cpc"], neutral = ["ad_spend", "meta_spend", "google_spend"];
        Assert.Equal(lowerIsBetter, kpis.Where(k => k.GetProperty("better").GetString() == "lower").Select(k => k.GetProperty("name").GetString()));
        Assert.Equal(neutral, kpis.Where(k => k.GetProperty("better").ValueKind == JsonValueKind.Null).Select(k => k.GetProperty("name").GetString()));
        foreach (var kpi in kpis)
        {
            var name = kpi.GetProperty("name").GetString()!;
            var card = tile.Locator($"[data-kpi='{name}']");
            SameNumber(kpi.GetProperty("value"), await card.GetAttributeAsync("data-value"), $"{name} value");
            SameNumber(kpi.GetProperty("previous"), await card.GetAttributeAsync("data-previous"), $"{name} previous");
            SameNumber(kpi.GetProperty("change"), await card.GetAttributeAsync("data-change"), $"{name} change");
            var change = kpi.GetProperty("change").ValueKind == JsonValueKind.Null ? 0m : kpi.GetProperty("change").GetDecimal();
            var direction = change > 0 ? "up" : change < 0 ? "down" : "flat";
            var good = direction == "flat" || neutral.Contains(name) ? "flat" : (direction == "up") != lowerIsBetter.Contains(name) ? "good" : "bad";
            Assert.Equal((direction, good), (await card.GetAttributeAsync("data-direction"), await card.GetAttributeAsync("data-good")));
            Assert.Contains(good, await card.Locator(".change").GetAttributeAsync("class"));
            if (kpi.GetProperty("kind").GetString() == "money" && kpi.GetProperty("value").ValueKind == JsonValueKind.Number)
                Assert.Equal(Usd(kpi.GetProperty("value").GetInt64()), (await card.Locator(".value").InnerTextAsync()).Trim());
        }
        // A usual range under a KPI only where the API answers a baseline: the shop's 180 days hold only 3 whole periods of 30
        // days before this one, 5 weeks apart, fewer than the 4 a baseline needs.
        Assert.Equal(api.GetProperty("baselines").EnumerateArray().Count(b => b.GetProperty("low").ValueKind == JsonValueKind.Number),
            await tile.Locator(".usual").CountAsync());
        // Then the profit and new against returning, as the API answers them.
        var profit = api.GetProperty("profit").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        foreach (var name in new[] { "gross_profit", "contribution_margin", "net_profit", "first_order_revenue", "returning_revenue_share" })
        {
            var card = tile.Locator($"[data-profit='{name}']");
            SameNumber(profit[name].GetProperty("value"), await card.GetAttributeAsync("data-value"), $"{name} value");
            SameNumber(profit[name].GetProperty("change"), await card.GetAttributeAsync("data-change"), $"{name} change");
        }
        // And the shop's e-mail (it has Klaviyo), every figure the API answers, bounces and unsubscribes better lower.
        var email = api.GetProperty("email").EnumerateArray().ToList();
        Assert.Equal(8, email.Count);
        Assert.Equal(8, await tile.Locator("[data-email-kpi]").CountAsync());
        foreach (var figure in email)
        {
            var name = figure.GetProperty("name").GetString()!;
            var card = tile.Locator($"[data-email-kpi='{name}']");
            SameNumber(figure.GetProperty("value"), await card.GetAttributeAsync("data-value"), $"{name} value");
            SameNumber(figure.GetProperty("change"), await card.GetAttributeAsync("data-change"), $"{name} change");
            if (name is "email_bounce_rate" or "email_unsubscribe_rate") Assert.Equal("lower", figure.GetProperty("better").GetString());
        }
        await Screenshot(tile, "kpis");

        // Over 7 days each KPI has its usual range from the 8 weeks before, as the API answers it.
        await page.GetByRole(AriaRole.Radio, new() { Name = "7 days" }).CheckAsync();
        var week = await Api($"/api/kpis?shop={Shop}&from={To.AddDays(-6):yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        var usual = tile.Locator("[data-kpi='revenue'] .usual");
        await Assertions.Expect(usual).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        foreach (var baseline in week.GetProperty("baselines").EnumerateArray())
        {
            var name = baseline.GetProperty("name").GetString()!;
            Assert.Equal(8, baseline.GetProperty("weeks").GetInt32());
            var shown = tile.Locator($"[data-kpi='{name}'] .usual");
            if (baseline.GetProperty("low").ValueKind != JsonValueKind.Number)
            {
                Assert.Equal(0, await shown.CountAsync());
                continue;
            }
            SameNumber(baseline.GetProperty("low"), await shown.GetAttributeAsync("data-low"), $"{name} usual low");
            SameNumber(baseline.GetProperty("high"), await shown.GetAttributeAsync("data-high"), $"{name} usual high");
            Assert.Equal(baseline.GetProperty("unusual").GetBoolean() ? "true" : "false", await shown.GetAttributeAsync("data-unusual"));
        }
        await Screenshot(tile, "kpis-week");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_alerts_tile_shows_the_open_alerts_and_the_recently_resolved_ones()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-alerts");
        var open = (await Api($"/api/alerts?shop={Shop}&status=open")).GetProperty("alerts").EnumerateArray().ToList();
        var resolved = (await Api($"/api/alerts?shop={Shop}&status=resolved")).GetProperty("alerts").EnumerateArray().Take(5).ToList();

        if (open.Count == 0 && resolved.Count == 0)
            Assert.Equal("empty", await tile.GetAttributeAsync("data-state"));
        else
        {
            Assert.Equal(open.Select(a => a.GetProperty("alert_id").GetString()),
                await Attributes(tile.Locator("[data-list='open'] [data-alert]"), "data-alert"));
            Assert.Equal(resolved.Select(a => a.GetProperty("alert_id").GetString()),
                await Attributes(tile.Locator("[data-list='resolved'] [data-alert]"), "data-alert"));
            foreach (var alert in open)
            {
                var shown = await tile.Locator($"[data-alert='{alert.GetProperty("alert_id").GetString()}']").InnerTextAsync();
                Assert.Contains(alert.GetProperty("severity").GetString()!, shown, StringComparison.OrdinalIgnoreCase);
                Assert.Contains(alert.GetProperty("recommendation").GetString()!, shown);
            }
        }
        await Screenshot(tile, "alerts");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_inventory_tile_lists_the_stock_alerts_most_urgent_first()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-inventory");
        var api = await Api($"/api/dashboard/inventory-alerts?shop={Shop}");
        var alerts = api.GetProperty("alerts").EnumerateArray().ToList();

        Assert.NotEmpty(alerts);
        foreach (var status in new[] { "out_of_stock", "low_stock", "overstock" })
            SameNumber(api.GetProperty("counts").GetProperty(status), await Raw(tile, status), status);
        var rows = tile.Locator(".table-wrap").First.Locator("tbody tr");
        Assert.Equal(alerts.Count, await rows.CountAsync());
        for (var i = 0; i < Math.Min(alerts.Count, 5); i++)
        {
            var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(alerts[i].GetProperty("sku").GetString() ?? "–", cells[1]);
            Assert.Equal(alerts[i].GetProperty("quantity_available").GetInt32().ToString("N0", UnitedStates), cells[2]);
        }

        // Against fulfillment: the orders waiting for each variant out of stock or low, and the late fulfillments holding one,
        // as the API answers them. The demo's sold-out best seller, backordered for its last 4 days, comes first.
        var fulfillment = await Api($"/api/dashboard/inventory-fulfillment?shop={Shop}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        var section = tile.Locator("[data-section='fulfillment']");
        var held = fulfillment.GetProperty("variants").EnumerateArray().Where(v => v.GetProperty("waiting_orders").GetInt32() > 0).ToList();
        Assert.Equal(40_000_001, held[0].GetProperty("variant_id").GetInt64());
        Assert.True(held[0].GetProperty("longest_wait_hours").GetDecimal() > 48, held[0].ToString());
        Assert.Equal(held.Select(v => (string?)v.GetProperty("variant_id").GetInt64().ToString(CultureInfo.InvariantCulture)),
            await Attributes(section.Locator("[data-waiting]"), "data-waiting"));
        Assert.Equal(held.Sum(v => v.GetProperty("waiting_orders").GetInt32()).ToString(CultureInfo.InvariantCulture), await Raw(section, "waiting_orders"));
        var totals = fulfillment.GetProperty("totals");
        SameNumber(totals.GetProperty("late"), await Raw(section, "late"), "late fulfillments");
        SameNumber(totals.GetProperty("share_with_variant_in_alert"), await Raw(section, "late_share"), "late share holding a variant in alert");
        Assert.True(totals.GetProperty("late_with_variant_in_alert").GetInt64() > 0, totals.ToString());
        // A key limited to another shop reads none of it.
        using (var limited = system.GatewayClient(RunningSystem.KpiOperatorKey))
            Assert.Equal(HttpStatusCode.Forbidden, (await limited.GetAsync($"/api/dashboard/inventory-fulfillment?shop={Shop}")).StatusCode);
        await Screenshot(tile, "inventory-alerts");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_segments_tile_shows_customers_by_segment_and_lifecycle_stage()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-segments");
        var api = await Api($"/api/dashboard/customer-segments?shop={Shop}");
        var segments = api.GetProperty("segments").EnumerateArray().ToList();

        Assert.NotEmpty(segments);
        SameNumber(api.GetProperty("customers"), await Raw(tile, "customers"), "customers");
        foreach (var stage in new[] { "active", "at_risk", "churned" })
            Assert.Equal(api.GetProperty("lifecycle").TryGetProperty(stage, out var count) ? count.GetInt64().ToString(CultureInfo.InvariantCulture) : "0",
                await Raw(tile, stage));
        var rows = tile.Locator("tbody tr");
        Assert.Equal(segments.Count, await rows.CountAsync());
        for (var i = 0; i < segments.Count; i++)
        {
            var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(segments[i].GetProperty("segment").GetString(), cells[0]);
            Assert.Equal(Usd(segments[i].GetProperty("spent_minor").GetInt64()), cells[4]);
        }
        await tile.Locator("[data-chart='segments'] canvas").WaitForAsync();
        await Screenshot(tile, "customer-segments");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_profit_tile_shows_gross_profit_contribution_margin_net_profit_poas_cost_coverage_and_new_against_returning()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-profit");
        var profit = (await Api($"/api/profit?shop={Shop}&days=30")).GetProperty("current");

        SameNumber(profit.GetProperty("gross_profit_minor"), await Raw(tile, "gross_profit"), "gross profit");
        SameNumber(profit.GetProperty("poas"), await Raw(tile, "poas"), "POAS");
        SameNumber(profit.GetProperty("cogs_coverage"), await Raw(tile, "cogs_coverage"), "cost coverage");
        SameNumber(profit.GetProperty("contribution_margin_minor"), await Raw(tile, "contribution_margin"), "contribution margin");
        SameNumber(profit.GetProperty("net_profit_minor"), await Raw(tile, "net_profit"), "net profit");
        Assert.Equal(Usd(profit.GetProperty("gross_profit_minor").GetInt64()), await Shown(tile, "gross_profit"));
        var customers = profit.GetProperty("customers");
        SameNumber(customers.GetProperty("returning_revenue_share"), await Raw(tile, "returning_revenue_share"), "returning revenue share");
        var rows = tile.Locator("tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        var first = await rows.Nth(0).Locator("td").AllInnerTextsAsync();
        Assert.Equal((customers.GetProperty("first_orders").GetInt64().ToString("N0", UnitedStates),
                Usd(customers.GetProperty("first_order_revenue_minor").GetInt64())),
            (first[1], first[2]));
        await Screenshot(tile, "profit");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_cohort_tile_maps_each_first_order_months_value_per_customer_by_month_since()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-cohorts");
        var cohorts = (await Api($"/api/cohorts?shop={Shop}&days=365")).GetProperty("cohorts").EnumerateArray().ToList();
        Assert.NotEmpty(cohorts);
        Assert.Equal(cohorts.Count, await tile.Locator("tbody tr").CountAsync());
        Assert.Equal(cohorts.Sum(c => c.GetProperty("customers").GetInt64()).ToString(CultureInfo.InvariantCulture), await Raw(tile, "customers"));

        // The oldest cohort's cells are the API's values per customer, revenue first, gross profit when chosen.
        var oldest = cohorts[0];
        var row = tile.Locator($"tbody tr[data-cohort='{oldest.GetProperty("month").GetString()}']");
        var months = oldest.GetProperty("months").EnumerateArray().ToList();
        foreach (var i in new[] { 0, 1 })
            SameNumber(months[i].GetProperty("revenue_per_customer_minor"), await row.Locator($"td[data-month='{i}']").GetAttributeAsync("data-raw"),
                $"month {i} revenue per customer");
        await tile.GetByLabel("Value per customer shown").SelectOptionAsync("gross_profit");
        SameNumber(months[0].GetProperty("gross_profit_per_customer_minor"), await row.Locator("td[data-month='0']").GetAttributeAsync("data-raw"),
            "month 0 gross profit per customer");
        await Screenshot(tile, "cohorts");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_marketing_tile_shows_spend_per_source_against_revenue_and_roas_per_campaign()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-marketing");
        var totals = (await Api($"/api/dashboard/marketing?shop={Shop}&days=30")).GetProperty("totals");
        var campaigns = (await Api($"/api/marketing/campaigns?shop={Shop}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}")).GetProperty("campaigns").EnumerateArray()
            .ToList();

        Assert.True(totals.GetProperty("spend_minor").GetInt64() > 0, "the demo shop spent nothing");
        SameNumber(totals.GetProperty("spend_minor"), await Raw(tile, "spend"), "spend");
        SameNumber(totals.GetProperty("spend_by_source").GetProperty("meta"), await Raw(tile, "spend_meta"), "Meta spend");
        SameNumber(totals.GetProperty("spend_by_source").GetProperty("google_ads"), await Raw(tile, "spend_google_ads"), "Google Ads spend");
        SameNumber(totals.GetProperty("revenue_minor"), await Raw(tile, "revenue"), "revenue");
        SameNumber(totals.GetProperty("blended_roas"), await Raw(tile, "blended_roas"), "blended ROAS");
        Assert.Equal(Usd(totals.GetProperty("spend_minor").GetInt64()), await Shown(tile, "spend"));

        // The campaigns' table: the first of the tile's (the e-mails' follows it).
        var rows = tile.Locator("table").First.Locator("tbody tr");
        Assert.NotEmpty(campaigns);
        Assert.Equal(campaigns.Count, await rows.CountAsync());
        for (var i = 0; i < campaigns.Count; i++)
        {
            var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            Assert.Equal(campaigns[i].GetProperty("name").GetString(), cells[0]);
            Assert.Equal(Usd(campaigns[i].GetProperty("spend_minor").GetInt64()), cells[2]);
            var roas = campaigns[i].GetProperty("roas");
            Assert.Equal(roas.ValueKind == JsonValueKind.Null ? "–" : roas.GetDecimal().ToString("N2", UnitedStates), cells[4]);
            var poas = campaigns[i].GetProperty("estimated_poas");
            Assert.Equal(poas.ValueKind == JsonValueKind.Null ? "–" : poas.GetDecimal().ToString("N2", UnitedStates), cells[5]);
        }
        // E-mail beside the ad platforms: its figures and each e-mail of the period, as the e-mail read answers them.
        var email = await Api($"/api/marketing/email?shop={Shop}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}");
        Assert.True(email.GetProperty("current").GetProperty("recipients").GetInt64() > 0, "the dashboard shop sent no e-mail");
        SameNumber(email.GetProperty("current").GetProperty("revenue_minor"), await Raw(tile, "email_revenue"), "e-mail revenue");
        SameNumber(email.GetProperty("current").GetProperty("recipients"), await Raw(tile, "email_recipients"), "e-mail recipients");
        SameNumber(email.GetProperty("current").GetProperty("open_rate"), await Raw(tile, "email_open_rate"), "open rate");
        Assert.Equal(email.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("message_id").GetString()),
            await Attributes(tile.Locator("[data-email]"), "data-email"));
        await Screenshot(tile, "marketing");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_pipeline_tile_shows_the_last_runs_steps_and_the_rate_limit_windows_by_hour()
    {
        var page = await Dashboard_();
        var tile = page.Locator("#tile-pipeline");
        var runs = (await Api($"/api/ingest/runs?shop={Shop}&pageSize=10")).GetProperty("items").EnumerateArray().ToList();
        var windows = (await Api($"/analytics/pipelines?shop={Shop}")).GetProperty("rate_limit_windows").EnumerateArray().ToList();

        // The runs the page read, newest first (a later run of another test may have begun since: compare the page's own).
        var shown = tile.Locator("[data-run]");
        Assert.Equal(runs.Count, await shown.CountAsync());
        Assert.Equal(runs.Select(r => r.GetProperty("run_id").GetString()), await Attributes(shown, "data-run"));
        Assert.Equal(runs[0].GetProperty("steps").GetArrayLength(), await shown.First.Locator(".steps > span").CountAsync());
        // Its time in the shop's zone, as en-US writes it (Intl's medium date, short time).
        var requested = TimeZoneInfo.ConvertTime(runs[0].GetProperty("requested_at").GetDateTimeOffset(), Zone);
        Assert.Contains(requested.ToString("MMM d, yyyy, h:mm tt", CultureInfo.InvariantCulture), Spaced(await shown.First.InnerTextAsync()));

        Assert.NotEmpty(windows);
        foreach (var window in windows)
        {
            var source = window.GetProperty("source").GetString();
            var cells = tile.Locator($".cell[data-source='{source}']");
            Assert.Equal(24, await cells.CountAsync());
            var hours = window.GetProperty("hours").EnumerateArray().ToList();
            Assert.Equal(hours.Select(h => h.GetProperty("calls").GetInt32().ToString(CultureInfo.InvariantCulture)), await Attributes(cells, "data-calls"));
            Assert.Equal(hours.Select(h => h.GetProperty("avoid").GetBoolean() ? "true" : "false"), await Attributes(cells, "data-avoid"));
        }
        // Each pipeline of the shop with its last status, as the ETL monitoring answers it, and what it names as missing today.
        var etl = await Api($"/api/etl/status?shop={Shop}");
        var shownPipelines = tile.Locator("[data-pipeline]");
        Assert.Equal(etl.GetProperty("pipelines").EnumerateArray().Select(p => p.GetProperty("pipeline").GetString()),
            await Attributes(shownPipelines, "data-pipeline"));
        Assert.Equal(etl.GetProperty("pipelines").EnumerateArray().Select(p => p.GetProperty("last_status").GetString()),
            await Attributes(shownPipelines, "data-status"));
        Assert.Equal(etl.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("pipeline").GetString()),
            await Attributes(tile.Locator("[data-missing]"), "data-missing"));
        await Screenshot(tile, "pipeline-health");
        await ThePageBehaved(page);
    }

    /// <summary>Intl separates a time from its AM/PM with a narrow no-break space.</summary>
    private static string Spaced(string text) => text.Replace('\u202f', ' ').Replace('\u00a0', ' ');

    private static async Task<List<string?>> Attributes(ILocator items, string attribute)
    {
        var values = new List<string?>();
        for (var i = 0; i < await items.CountAsync(); i++) values.Add(await items.Nth(i).GetAttributeAsync(attribute));
        return values;
    }

    [Fact]
    public async Task A_custom_period_reads_the_days_chosen()
    {
        var page = await Dashboard_();
        var (from, to) = (To.AddDays(-13), To.AddDays(-4));
        await page.GetByRole(AriaRole.Radio, new() { Name = "Custom" }).CheckAsync();
        await page.GetByLabel("From", new() { Exact = true }).FillAsync(from.ToString("yyyy-MM-dd"));
        await page.GetByLabel("To", new() { Exact = true }).FillAsync(to.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.Locator($"#dashboard[data-loaded='{Shop}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}']").WaitForAsync(new() { Timeout = 30_000 });

        var pulse = await Api($"/api/dashboard/sales-pulse?shop={Shop}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal(10, pulse.GetProperty("days").GetArrayLength());
        var sales = page.Locator("#tile-sales");
        SameNumber(pulse.GetProperty("revenue_minor"), await Raw(sales, "revenue"), "revenue");
        SameNumber(pulse.GetProperty("orders"), await Raw(sales, "orders"), "orders");
        var kpis = await Api($"/api/kpis?shop={Shop}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        SameNumber(kpis.GetProperty("kpis")[0].GetProperty("value"), await page.Locator("[data-kpi='revenue']").GetAttributeAsync("data-value"), "revenue KPI");
        var marketing = await Api($"/api/dashboard/marketing?shop={Shop}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        SameNumber(marketing.GetProperty("totals").GetProperty("spend_minor"), await Raw(page.Locator("#tile-marketing"), "spend"), "spend");
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task A_tile_whose_api_fails_says_so_with_the_problem_and_the_others_still_show()
    {
        var page = await Open();
        // The KPI/Alert service's reads fail (as when it is down); the Transform's still answer.
        await page.RouteAsync(url => url.Contains("/api/kpis") || url.Contains("/api/alerts") || url.Contains("/analytics/"), route => route.FulfillAsync(new()
        {
            Status = 503,
            ContentType = "application/problem+json",
            Body = """{"title":"Service Unavailable","status":503,"detail":"The KPI/Alert service did not answer."}""",
        }));
        await SignIn(page, RunningSystem.ViewerKey);
        await page.GetByLabel("Shop").SelectOptionAsync(Shop);
        await page.Locator($"#dashboard[data-loaded^='{Shop}|']").WaitForAsync(new() { Timeout = 30_000 });

        foreach (var failed in new[] { "kpis", "alerts", "pipeline" })
        {
            var tile = page.Locator($"#tile-{failed}");
            Assert.Equal("error", await tile.GetAttributeAsync("data-state"));
            Assert.Contains("The KPI/Alert service did not answer.", await tile.GetByRole(AriaRole.Alert).InnerTextAsync());
        }
        foreach (var shown in new[] { "sales", "inventory", "segments", "marketing" })
            Assert.Equal("ready", await page.Locator($"#tile-{shown}").GetAttributeAsync("data-state"));
        await page.Locator("#tile-kpis").ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "tile-error.png") });
    }

    [Fact]
    public async Task A_tile_with_nothing_to_show_says_so()
    {
        var page = await Open();
        await page.RouteAsync(url => url.Contains("/api/dashboard/inventory-alerts"), route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/json",
            Body = $$"""{"shop":"{{Shop}}","snapshot_date":null,"counts":{"out_of_stock":0,"low_stock":0,"overstock":0},"alerts":[]}""",
        }));
        await page.RouteAsync(url => url.Contains("/api/alerts"), route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/json",
            Body = $$"""{"shop":"{{Shop}}","status":"open","alerts":[]}""",
        }));
        await SignIn(page, RunningSystem.ViewerKey);
        await page.GetByLabel("Shop").SelectOptionAsync(Shop);
        await page.Locator($"#dashboard[data-loaded^='{Shop}|']").WaitForAsync(new() { Timeout = 30_000 });

        Assert.Equal("empty", await page.Locator("#tile-inventory").GetAttributeAsync("data-state"));
        Assert.Contains("No variant is out of stock", await page.Locator("#tile-inventory").InnerTextAsync());
        Assert.Equal("empty", await page.Locator("#tile-alerts").GetAttributeAsync("data-state"));
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task A_viewer_sees_no_run_buttons()
    {
        var page = await Dashboard_(RunningSystem.ViewerKey);
        Assert.Contains("(viewer)", await page.Locator("#who").InnerTextAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).IsVisibleAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Start backfill" }).IsVisibleAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "dashboard-viewer.png"), FullPage = true });
        // What a laptop shows first (the README's picture is this one).
        await page.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "dashboard-overview.png") });
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task An_operator_starts_a_sync_from_the_page_and_watches_its_steps_until_it_completes()
    {
        var page = await Dashboard_(RunningSystem.DashboardOperatorKey);
        // The operator's key is limited to the demo shop: it is the only one offered.
        Assert.Equal([Shop], await page.Locator("#shop option").AllInnerTextsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();

        var run = page.Locator("[data-run-id]");
        await run.WaitForAsync();
        await page.Locator("[data-run-id][data-status='completed']").WaitForAsync(new() { Timeout = 180_000 });
        var runId = Guid.Parse((await run.GetAttributeAsync("data-run-id"))!);
        var steps = await page.Locator("#run-watch li").AllInnerTextsAsync();

        var api = await Api($"/api/ingest/runs/{runId}");
        // Every step the run went through, as the run records them, ending completed.
        Assert.Equal(api.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()).Where(s => s != "initiated"),
            steps.Select(s => s.Split(' ')[0]));
        Assert.Equal("completed", steps[^1]);
        Assert.Equal((Shop, "completed", "user"),
            (api.GetProperty("shop").GetString(), api.GetProperty("status").GetString(), api.GetProperty("initiator").GetString()));
        await page.Locator("#actions").ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "operator-sync.png") });

        // And a backfill of the last three days, from the page's form.
        await page.GetByLabel("Backfill from").FillAsync(To.AddDays(-2).ToString("yyyy-MM-dd"));
        await page.GetByLabel("to", new() { Exact = true }).FillAsync(To.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Start backfill" }).ClickAsync();
        var backfill = page.Locator($"[data-run-id]:not([data-run-id='{runId}'])");
        await backfill.WaitForAsync();
        await page.Locator($"[data-run-id]:not([data-run-id='{runId}'])[data-status='completed']").WaitForAsync(new() { Timeout = 180_000 });
        var backfillRun = await Api($"/api/ingest/runs/{await backfill.GetAttributeAsync("data-run-id")}");
        Assert.Equal(("FULL_BACKFILL_EXECUTE", "completed"), (backfillRun.GetProperty("job_type").GetString(), backfillRun.GetProperty("status").GetString()));
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task A_bad_key_gets_the_sign_in_error_and_nothing_is_kept()
    {
        var page = await Open();
        await SignIn(page, "not-a-key-of-this-system-0123456789");
        var error = page.Locator("#sign-in-error");
        await error.WaitForAsync();
        Assert.Contains("not accepted", await error.InnerTextAsync());
        Assert.True(await page.Locator("#dashboard").IsHiddenAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('growthos.apiKey')"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "sign-in-error.png") });
    }

    [Fact]
    public async Task The_key_is_kept_in_the_tabs_session_storage_only_and_never_sent_in_a_url()
    {
        var page = await Dashboard_(RunningSystem.ViewerKey);
        Assert.Equal(RunningSystem.ViewerKey, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('growthos.apiKey')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await page.Context.CookiesAsync());
        Assert.DoesNotContain(_requested, url => url.Contains(RunningSystem.ViewerKey, StringComparison.Ordinal));

        // A new tab (a new session) must sign in again.
        var other = await (await _browser!.NewContextAsync()).NewPageAsync();
        await other.GotoAsync(system.Gateway.ToString());
        Assert.True(await other.GetByLabel("API key").IsVisibleAsync());
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy_and_works_on_a_phone()
    {
        using var http = new HttpClient { BaseAddress = system.Gateway };
        var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        var policy = string.Join(";", index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());

        var page = await Dashboard_(RunningSystem.ViewerKey, width: 390, height: 844);
        var wider = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('body *')]
              .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.table-wrap, .heat-wrap'))
              .slice(0, 8).map(e => `${e.tagName.toLowerCase()}#${e.id}.${e.className}: ${Math.round(e.getBoundingClientRect().right)}`)
            """);
        Assert.True(wider.Length == 0 && await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            $"the page scrolls sideways on a phone: {string.Join(", ", wider)}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Dashboard.Screenshots, "dashboard-phone.png"), FullPage = true });
        await ThePageBehaved(page);
    }

    [Fact]
    public async Task The_page_is_keyboard_navigable_from_sign_in_to_the_shop_picker()
    {
        var page = await Open();
        Assert.Equal("api-key", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync(RunningSystem.ViewerKey);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#dashboard:not([hidden])").WaitForAsync();
        await page.Locator("#dashboard[data-loaded]").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("body").FocusAsync();
        var reached = new List<string>();
        // From the body the browser may first pass the page's last focusable parts (the tiles' scrolling tables) before it wraps to the top.
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>(
                "() => document.activeElement.id || document.activeElement.getAttribute('name') || document.activeElement.tagName"));
        }
        // The pages first (the dashboard, the connections), then the shop picker and the period.
        Assert.True(reached.IndexOf("view-connections") is >= 0 and var pages && reached.IndexOf("shop") > pages && reached.Contains("range"),
            string.Join(", ", reached));
        // Every tile is a region named by its heading.
        Assert.Equal(9, await page.Locator("section.tile[aria-labelledby]").CountAsync());
        await ThePageBehaved(page);
    }

    /// <summary>
    /// No script error and no policy violation in the browser's console, and no tile left loading or failed. A run that has
    /// just ended reloads the tiles: a tile still loading is given the time of a reload (20 s) before it counts as left so.
    /// </summary>
    private async Task ThePageBehaved(IPage page)
    {
        Assert.True(_consoleErrors.Count == 0, $"the browser reported: {string.Join("\n", _consoleErrors)}");
        var states = await Attributes(page.Locator("section.tile"), "data-state");
        for (var waited = 0; states.Contains("loading") && waited < 20_000; waited += 250)
        {
            await Task.Delay(250);
            states = await Attributes(page.Locator("section.tile"), "data-state");
        }
        Assert.DoesNotContain("error", states);
        Assert.DoesNotContain("loading", states);
    }
}
