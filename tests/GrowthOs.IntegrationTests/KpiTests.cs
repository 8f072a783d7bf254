using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>The KPI/Alert service's KPIs after a real sync of a shop's orders and marketing sources, read through the gateway.</summary>
[Collection(SystemCollection.Name)]
public sealed class KpiTests(RunningSystem system)
{
    [Fact]
    public async Task After_a_sync_the_18_KPIs_agree_with_the_marts_they_come_from_and_the_planted_week_raises_its_alerts()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.KpiShop;
        var runs = new List<Guid> { await system.StartSync(http, shop, ["orders", "customers"]) };
        var marketing = await http.PostAsJsonAsync("/api/marketing/sync", new { shop });
        Assert.Equal(HttpStatusCode.Accepted, marketing.StatusCode);
        runs.AddRange((await marketing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs").EnumerateArray()
            .Select(r => r.GetProperty("run_id").GetGuid()));
        foreach (var runId in runs)
            Assert.Equal("completed", (await system.WaitForRunToFinish(http, runId)).GetProperty("status").GetString());

        var pulse = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/sales-pulse?shop={shop}&days=7");
        var ads = (await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/marketing?shop={shop}&days=7")).GetProperty("totals");

        // The service's copies arrive by events: wait until they hold what the marts hold.
        Dictionary<string, JsonElement> kpis = [];
        JsonElement answer = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await http.GetAsync($"/api/kpis?shop={shop}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                kpis = answer.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
                if (kpis["revenue"].GetProperty("value").GetDecimal() == pulse.GetProperty("revenue_minor").GetInt64()
                    && kpis["ad_spend"].GetProperty("value").GetDecimal() == ads.GetProperty("spend_minor").GetInt64()) break;
            }
            await Task.Delay(200);
        }

        Assert.Equal(18, kpis.Count);
        Assert.Equal((pulse.GetProperty("from").GetString(), pulse.GetProperty("to").GetString()),
            (answer.GetProperty("from").GetString(), answer.GetProperty("to").GetString()));
        Assert.Equal(pulse.GetProperty("revenue_minor").GetInt64(), kpis["revenue"].GetProperty("value").GetDecimal());
        Assert.Equal(pulse.GetProperty("orders").GetInt64(), kpis["orders"].GetProperty("value").GetDecimal());
        Assert.Equal(pulse.GetProperty("aov_minor").GetInt64(), kpis["aov"].GetProperty("value").GetDecimal());
        Assert.Equal(
            pulse.GetProperty("refunds_minor").GetInt64() == 0
                ? 0m
                : Math.Round((decimal)pulse.GetProperty("refunds_minor").GetInt64() / pulse.GetProperty("revenue_minor").GetInt64(), 6),
            kpis["refund_rate"].GetProperty("value").GetDecimal());
        Assert.Equal(ads.GetProperty("spend_minor").GetInt64(), kpis["ad_spend"].GetProperty("value").GetDecimal());
        Assert.Equal(ads.GetProperty("spend_by_source").GetProperty("meta").GetInt64(), kpis["meta_spend"].GetProperty("value").GetDecimal());
        Assert.Equal(ads.GetProperty("ctr").GetDecimal(), kpis["ctr"].GetProperty("value").GetDecimal());
        Assert.Equal(Math.Round((decimal)pulse.GetProperty("orders").GetInt64() / ads.GetProperty("sessions").GetInt64(), 6),
            kpis["conversion_rate"].GetProperty("value").GetDecimal());
        Assert.Equal(Math.Round((decimal)pulse.GetProperty("revenue_minor").GetInt64() / ads.GetProperty("spend_minor").GetInt64(), 6),
            kpis["blended_roas"].GetProperty("value").GetDecimal());
        // The demo's planted week: Meta returns less on its spend than the week before.
        Assert.True(kpis["meta_roas"].GetProperty("change").GetDecimal() < 0, kpis["meta_roas"].ToString());
        Assert.True(kpis["new_customers"].GetProperty("value").GetDecimal() > 0);
        Assert.InRange(kpis["returning_customer_rate"].GetProperty("value").GetDecimal(), 0m, 1m);

        // The profit beside them, from the days' profit the sales events carried, agrees with the Transform's own read of the
        // same days.
        var read = (await http.GetFromJsonAsync<JsonElement>(
            $"/api/profit?shop={shop}&from={answer.GetProperty("from").GetString()}&to={answer.GetProperty("to").GetString()}")).GetProperty("current");
        var profit = answer.GetProperty("profit").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(answer.GetProperty("coverage").GetProperty("sales_days").GetInt32(), answer.GetProperty("profit_days").GetInt32());
        foreach (var (figure, field) in new[] { ("net_sales", "net_sales_minor"), ("gross_profit", "gross_profit_minor"),
                     ("payment_fees", "payment_fees_minor"), ("contribution_margin", "contribution_margin_minor"), ("net_profit", "net_profit_minor") })
            Assert.Equal(read.GetProperty(field).GetInt64(), profit[figure].GetProperty("value").GetDecimal());
        Assert.Equal(read.GetProperty("customers").GetProperty("first_order_revenue_minor").GetInt64(),
            profit["first_order_revenue"].GetProperty("value").GetDecimal());
        Assert.True(profit["payment_fees"].GetProperty("value").GetDecimal() > 0, "no payment fees reached the KPIs");
        // Each campaign's profit estimate: its platform's conversion value × the shop's gross margin of the same days.
        var campaigns = (await http.GetFromJsonAsync<JsonElement>(
            $"/api/marketing/campaigns?shop={shop}&from={answer.GetProperty("from").GetString()}&to={answer.GetProperty("to").GetString()}"))
            .GetProperty("campaigns").EnumerateArray().Where(c => c.GetProperty("comparable").GetBoolean()).ToList();
        Assert.NotEmpty(campaigns);
        foreach (var campaign in campaigns)
            Assert.Equal(Math.Round((decimal)campaign.GetProperty("conversion_value_minor").GetInt64() * read.GetProperty("gross_profit_minor").GetInt64()
                / read.GetProperty("net_sales_minor").GetInt64(), MidpointRounding.AwayFromZero),
                campaign.GetProperty("estimated_gross_profit_minor").GetInt64());

        // Each KPI's activation baseline beside it; revenue's worked by hand from the service's own revenue of the 8 periods
        // that ended on the same weekday 1 to 8 weeks before: their mean, and their sample standard deviation.
        var (periodFrom, periodTo) = (DateOnly.Parse(answer.GetProperty("from").GetString()!), DateOnly.Parse(answer.GetProperty("to").GetString()!));
        Dictionary<string, JsonElement> baselines = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            baselines = (await http.GetFromJsonAsync<JsonElement>($"/api/kpis?shop={shop}&from={periodFrom:yyyy-MM-dd}&to={periodTo:yyyy-MM-dd}"))
                .GetProperty("baselines").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
            if (baselines["revenue"].GetProperty("weeks").GetInt32() == 8) break;
            await Task.Delay(200);
        }
        Assert.Equal(kpis.Keys, baselines.Keys);
        var weekly = new List<decimal>();
        for (var week = 1; week <= 8; week++)
            weekly.Add((await http.GetFromJsonAsync<JsonElement>(
                    $"/api/kpis?shop={shop}&from={periodFrom.AddDays(-7 * week):yyyy-MM-dd}&to={periodTo.AddDays(-7 * week):yyyy-MM-dd}"))
                .GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "revenue").GetProperty("value").GetDecimal());
        var mean = weekly.Average();
        var spread = (decimal)Math.Sqrt((double)(weekly.Sum(r => (r - mean) * (r - mean)) / 7));
        var usual = baselines["revenue"];
        Assert.Equal(8, usual.GetProperty("weeks").GetInt32());
        Assert.Equal(Math.Round(mean, 2, MidpointRounding.AwayFromZero), usual.GetProperty("baseline").GetDecimal());
        Assert.InRange(usual.GetProperty("spread").GetDecimal(), spread - 0.01m, spread + 0.01m);
        Assert.Equal(kpis["revenue"].GetProperty("value").GetDecimal() < usual.GetProperty("low").GetDecimal()
            || kpis["revenue"].GetProperty("value").GetDecimal() > usual.GetProperty("high").GetDecimal(), usual.GetProperty("unusual").GetBoolean());

        // The demo's planted week raises its alerts: the prospecting campaign under ROAS 1, and Meta's CTR dip.
        JsonElement[] alerts = [];
        for (var attempt = 0; attempt < 100 && alerts.Length < 2; attempt++)
        {
            alerts = (await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}")).GetProperty("alerts").EnumerateArray()
                .Where(a => (a.GetProperty("rule").GetString(), a.GetProperty("subject").GetString())
                    is ("roas_below_one", "meta:120210000000000001") or ("ctr_drop", "meta"))
                .ToArray();
            await Task.Delay(200);
        }
        Assert.Equal(2, alerts.Length);
        var roas = alerts.Single(a => a.GetProperty("rule").GetString() == "roas_below_one");
        Assert.Equal("critical", roas.GetProperty("severity").GetString());
        Assert.Contains("Prospecting", roas.GetProperty("recommendation").GetString());
        Assert.True(roas.GetProperty("raised_figures").GetProperty("roas").GetDecimal() < 1m);
        Assert.Equal("warning", alerts.Single(a => a.GetProperty("rule").GetString() == "ctr_drop").GetProperty("severity").GetString());
        Assert.Empty((await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}&status=resolved")).GetProperty("alerts").EnumerateArray());
        // The syncs just completed: no daily job is missing.
        Assert.DoesNotContain((await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}")).GetProperty("alerts").EnumerateArray(),
            a => a.GetProperty("rule").GetString() == "pipeline_missing");
        var rules = (await http.GetFromJsonAsync<JsonElement>("/api/alerts/rules")).GetProperty("rules").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(["revenue_drop", "roas_below_one", "cac_increase", "ctr_drop", "conversion_rate_drop", "fast_mover_stockout", "pipeline_missing",
            "contribution_margin_negative", "gross_margin_drop", "sync_gap", "flow_stopped", "email_bounce_rate", "email_unsubscribe_rate"], rules);
        Assert.Equal("status", (await (await http.GetAsync($"/api/alerts?shop={shop}&status=maybe")).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("parameter").GetString());

        // A range of its own, and a bad one named.
        // Anchored on the default period's last day as the service answered it, not on the test's clock.
        var to = DateOnly.Parse(answer.GetProperty("to").GetString()!);
        var month = await http.GetFromJsonAsync<JsonElement>($"/api/kpis?shop={shop}&from={to.AddDays(-29):yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        Assert.Equal(to.AddDays(-59).ToString("yyyy-MM-dd"), month.GetProperty("previous_from").GetString());
        var bad = await http.GetAsync($"/api/kpis?shop={shop}&from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("from", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        var tooLong = await http.GetAsync($"/api/kpis?shop={shop}&from=2020-01-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

        // Meta stops taking the shop's token: its next sync fails, so the alerts on Meta's figures say their data is
        // incomplete, the critical one is held back to warning, and the pipelines view lists both under marketing:meta.
        using (var sandbox = new HttpClient { BaseAddress = system.ServiceAddress("Sandbox") })
        {
            var revoked = await sandbox.PostAsync($"/sandbox/meta/ad_accounts/{RunningSystem.MetaAccountOf(shop)}/revoke", null);
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }
        var metaSync = await http.PostAsJsonAsync("/api/marketing/sync", new { shop, sources = new[] { "meta" } });
        Assert.Equal(HttpStatusCode.Accepted, metaSync.StatusCode);
        var failedRun = (await metaSync.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs")[0].GetProperty("run_id").GetGuid();
        Assert.Equal("failed", (await system.WaitForRunToFinish(http, failedRun)).GetProperty("status").GetString());
        JsonElement held = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            held = (await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}")).GetProperty("alerts").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("rule").GetString() == "roas_below_one"
                    && a.GetProperty("subject").GetString() == "meta:120210000000000001");
            if (held.ValueKind == JsonValueKind.Object && held.GetProperty("held_back").GetBoolean()) break;
            await Task.Delay(200);
        }
        Assert.Equal(("warning", true), (held.GetProperty("severity").GetString(), held.GetProperty("held_back").GetBoolean()));
        var gap = Assert.Single(held.GetProperty("data_incomplete").EnumerateArray());
        Assert.Equal("marketing:meta", gap.GetProperty("pipeline").GetString());
        Assert.Contains($"its latest run {failedRun} failed", gap.GetProperty("reason").GetString());
        var outage = (await http.GetFromJsonAsync<JsonElement>($"/analytics/pipelines?shop={shop}")).GetProperty("pipelines").EnumerateArray()
            .Single(p => p.GetProperty("pipeline").GetString() == "marketing:meta");
        var movedRules = outage.GetProperty("moved_alerts").EnumerateArray().Select(a => a.GetProperty("rule").GetString()).ToList();
        Assert.Contains("roas_below_one", movedRules);
        Assert.Contains("ctr_drop", movedRules);
        Assert.DoesNotContain("revenue_drop", movedRules);
    }

    [Fact]
    public async Task After_a_sync_the_overview_the_pipelines_view_and_a_runs_evidence_bundle_tell_what_happened()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.KpiShop;
        var runId = await system.StartSync(http, shop, ["orders"]);
        Assert.Equal("completed", (await system.WaitForRunToFinish(http, runId)).GetProperty("status").GetString());
        var pulse = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/sales-pulse?shop={shop}&days=7");

        // The overview: the KPIs with their change, the top products, the open alerts (the planted revenue dip among them).
        JsonElement overview = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await http.GetAsync($"/analytics/commerce/overview?shop={shop}&limit=5");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                overview = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (overview.GetProperty("open_alerts").EnumerateArray().Any(a => a.GetProperty("rule").GetString() == "revenue_drop")
                    && overview.GetProperty("top_products").GetArrayLength() > 0) break;
            }
            await Task.Delay(200);
        }
        var kpis = overview.GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(18, kpis.Count);
        Assert.Equal(pulse.GetProperty("revenue_minor").GetInt64(), kpis["revenue"].GetProperty("value").GetDecimal());
        Assert.True(kpis["revenue"].GetProperty("change").GetDecimal() < -0.30m, kpis["revenue"].ToString());
        var drop = overview.GetProperty("open_alerts").EnumerateArray().Single(a => a.GetProperty("rule").GetString() == "revenue_drop");
        Assert.Equal("critical", drop.GetProperty("severity").GetString());
        var products = overview.GetProperty("top_products").EnumerateArray().ToList();
        Assert.InRange(products.Count, 1, 5);
        Assert.Equal(products.Select(p => p.GetProperty("net_revenue_minor").GetInt64()).OrderDescending(),
            products.Select(p => p.GetProperty("net_revenue_minor").GetInt64()));
        Assert.True(products.Sum(p => p.GetProperty("net_revenue_minor").GetInt64()) <= pulse.GetProperty("revenue_minor").GetInt64());

        // The pipelines view: the Shopify daily sync with its last run, and the hours of Shopify's API calls.
        JsonElement shopify = default;
        JsonElement pipelines = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            pipelines = await http.GetFromJsonAsync<JsonElement>($"/analytics/pipelines?shop={shop}");
            shopify = pipelines.GetProperty("pipelines").EnumerateArray().FirstOrDefault(p => p.GetProperty("pipeline").GetString() == "shopify");
            if (shopify.ValueKind == JsonValueKind.Object && shopify.GetProperty("last_run").GetProperty("outcome").GetString() == "completed") break;
            await Task.Delay(200);
        }
        Assert.True(shopify.GetProperty("completed").GetInt32() >= 1);
        Assert.InRange(shopify.GetProperty("success_rate").GetDecimal(), 0.01m, 1m);
        Assert.True(shopify.GetProperty("p95_duration_ms").GetInt64() >= shopify.GetProperty("p50_duration_ms").GetInt64());
        var windows = pipelines.GetProperty("rate_limit_windows").EnumerateArray().Single(w => w.GetProperty("source").GetString() == "shopify");
        Assert.Equal(24, windows.GetProperty("hours").GetArrayLength());
        Assert.True(windows.GetProperty("hours").EnumerateArray().Sum(h => h.GetProperty("calls").GetInt32()) > 0);
        Assert.Equal("shop",
            (await (await http.GetAsync("/analytics/pipelines")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());

        // The evidence bundle of the run: every file its manifest names, with that checksum.
        byte[] bundle = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await http.GetAsync($"/api/ingest/runs/{runId}/evidence");
            if (response.StatusCode == HttpStatusCode.OK && response.Content.Headers.ContentType?.MediaType == "application/zip")
            {
                bundle = await response.Content.ReadAsByteArrayAsync();
                using var peek = new System.IO.Compression.ZipArchive(new MemoryStream(bundle));
                using var reader = new StreamReader(peek.GetEntry("run.json")!.Open());
                if (JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.GetProperty("run").GetProperty("outcome").GetString() == "completed"
                    && peek.GetEntry("data_quality.json")!.Length > 20) break;
            }
            await Task.Delay(200);
        }
        // Under the prefix of the service that builds it, and at the runs' path it was first served at.
        var underAnalytics = await http.GetAsync($"/analytics/runs/{runId}/evidence");
        Assert.Equal(HttpStatusCode.OK, underAnalytics.StatusCode);
        using (var again = new System.IO.Compression.ZipArchive(new MemoryStream(await underAnalytics.Content.ReadAsByteArrayAsync())))
            Assert.Equal(new System.IO.Compression.ZipArchive(new MemoryStream(bundle)).Entries.Select(e => e.FullName).Order(),
                again.Entries.Select(e => e.FullName).Order());
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bundle));
        async Task<byte[]> Read(string name)
        {
            await using var stream = zip.GetEntry(name)!.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
        var manifest = JsonDocument.Parse(await Read("manifest.json")).RootElement;
        Assert.Equal(runId, manifest.GetProperty("run_id").GetGuid());
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
            Assert.Equal(file.GetProperty("sha256").GetString(),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await Read(file.GetProperty("name").GetString()!))));
        var calls = System.Text.Encoding.UTF8.GetString(await Read("api_calls.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(calls, c => c.GetProperty("endpoint").GetString() == "bulkDownload" && c.GetProperty("http_status").GetInt32() == 200);
        Assert.All(calls, c => Assert.Equal(runId, c.GetProperty("run_id").GetGuid()));
        var quality = JsonDocument.Parse(await Read("data_quality.json")).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(quality, q => q.GetProperty("check").GetString() == "no_future_dates" && q.GetProperty("passed").GetBoolean());
        Assert.Contains("shopify", System.Text.Encoding.UTF8.GetString(await Read("rate_limit_windows.json")));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/ingest/runs/{Guid.NewGuid()}/evidence")).StatusCode);
        Assert.Equal("runId",
            (await (await http.GetAsync("/api/ingest/runs/not-a-run/evidence")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
    }
}
