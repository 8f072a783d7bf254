using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GrowthOs.Testing;

namespace GrowthOs.IntegrationTests;

/// <summary>
/// Marketing syncs of Meta, Google Ads, GA4 and Klaviyo through all the services on the real broker, database and object
/// store, against the Sandbox's emulation of the four APIs over HTTP.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class MarketingSyncTests(RunningSystem system)
{
    private static readonly string[] Sources = ["meta", "google_ads", "ga4", "klaviyo"];
    private static readonly string[] ExpectedSteps = ["initiated", "requested", "fetching", "archiving", "upserting", "transforming", "completed"];
    /// <summary>Yesterday in UTC (the accounts' zone here) now; a run's own until says which yesterday it read, should a midnight pass.</summary>
    private static DateOnly UtcYesterday() => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    private async Task<Dictionary<string, Guid>> StartMarketingSync(HttpClient http, string shop, params string[] sources)
    {
        var accepted = await http.PostAsJsonAsync("/api/marketing/sync", new { shop, sources = sources.Length > 0 ? sources : null });
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("source").GetString()!, r => r.GetProperty("run_id").GetGuid());
    }

    private async Task<JsonElement> Completed(HttpClient http, Guid runId)
    {
        var run = await system.WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        return run;
    }

    [Fact]
    public async Task A_sync_of_the_four_sources_archives_every_page_loads_the_marts_and_the_read_APIs_add_up()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.MarketingShop;
        var earliest = UtcYesterday();
        var runs = await StartMarketingSync(http, shop);
        Assert.Equal(Sources.Order(), runs.Keys.Order());

        var yesterday = earliest;
        foreach (var (source, runId) in runs)
        {
            var run = await Completed(http, runId);
            Assert.Equal(source, run.GetProperty("source").GetString());
            Assert.Equal("MARKETING_SYNC", run.GetProperty("job_type").GetString());
            Assert.Equal(ExpectedSteps, run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step").GetString()));
            // A first sync reads the last 180 days up to yesterday (the yesterday of its request).
            yesterday = DateOnly.Parse(run.GetProperty("until").GetString()!);
            Assert.InRange(yesterday, earliest, UtcYesterday());
            Assert.Equal(yesterday.AddDays(-179), DateOnly.Parse(run.GetProperty("since").GetString()!));

            // Raw first: the manifest names every page, each archived as the API answered it.
            var manifestKey = run.GetProperty("manifest_key").GetString()!;
            Assert.StartsWith($"raw/{source}/{shop}/", manifestKey);
            var manifest = JsonDocument.Parse(await LocalInfrastructure.ReadObject(system.Bucket, manifestKey)).RootElement;
            var pages = manifest.GetProperty("pages").EnumerateArray().ToList();
            Assert.Equal(run.GetProperty("counts").GetProperty("pages").GetInt64(), pages.Count);
            Assert.NotEmpty(pages);
            foreach (var page in pages)
            {
                var body = await LocalInfrastructure.ReadObject(system.Bucket, page.GetProperty("key").GetString()!);
                Assert.Equal(page.GetProperty("bytes").GetInt64(), Encoding.UTF8.GetByteCount(body));
                Assert.DoesNotContain(RunningSystem.MetaToken, page.GetProperty("request").GetString()!);
            }
            Assert.Equal(yesterday.ToString("yyyy-MM-dd"),
                (await system.Query<DateTime>(
                    $"SELECT synced_through::timestamp FROM ingest.marketing_watermark WHERE shop_domain = '{shop}' AND source = '{source}'"))
                    .ToString("yyyy-MM-dd"));
        }

        // Every synced day has its row, zeros where nothing was delivered; the staging holds 4 + 4 campaigns and 6 channel groups.
        Assert.Equal(180, await system.Scalar($"SELECT count(*) FROM transform.marketing_daily WHERE shop_domain = '{shop}'"));
        Assert.Equal(8, await system.Scalar($"SELECT count(DISTINCT (source, campaign_id)) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}'"));
        Assert.Equal(6, await system.Scalar($"SELECT count(DISTINCT channel_group) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}'"));
        // E-mail: the demo's eight flow e-mails and its Thursday newsletters, each with its flow or campaign; two are transactional.
        Assert.Equal(8, await system.Scalar(
            $"SELECT count(DISTINCT message_id) FROM transform.email_message_day WHERE shop_domain = '{shop}' AND kind = 'flow'"));
        var thursdays = Enumerable.Range(0, 180).Select(i => yesterday.AddDays(-i)).Count(d => d.DayOfWeek == DayOfWeek.Thursday);
        Assert.InRange(await system.Scalar($"SELECT count(*) FROM transform.email_message_day WHERE shop_domain = '{shop}' AND kind = 'campaign'"),
            1, thursdays);
        Assert.Equal(2, await system.Scalar($"SELECT count(*) FROM transform.email_message WHERE shop_domain = '{shop}' AND transactional"));
        Assert.Equal(0, await system.Scalar($"SELECT count(*) FROM transform.email_message_day WHERE shop_domain = '{shop}' AND recipients < delivered"));
        // The e-mail read adds up to the mart: the last 30 days' recipients and revenue, e-mail's share of the net sales, by kind and by e-mail.
        var email = await http.GetFromJsonAsync<JsonElement>($"/api/marketing/email?shop={shop}&days=30");
        var (emailFrom, emailTo) = (email.GetProperty("from").GetString(), email.GetProperty("to").GetString());
        var inPeriod = $"shop_domain = '{shop}' AND date BETWEEN '{emailFrom}' AND '{emailTo}'";
        var current = email.GetProperty("current");
        Assert.Equal(await system.Scalar($"SELECT sum(recipients) FROM transform.email_daily WHERE {inPeriod}"), current.GetProperty("recipients").GetInt64());
        var emailRevenue = await system.Scalar($"SELECT sum(revenue_minor) FROM transform.email_daily WHERE {inPeriod}");
        Assert.True(emailRevenue > 0);
        Assert.Equal(emailRevenue, current.GetProperty("revenue_minor").GetInt64());
        var netSales = await system.Scalar($"SELECT COALESCE(sum(net_sales_minor), 0) FROM transform.sales_metrics_daily WHERE {inPeriod}");
        if (netSales > 0)
            Assert.Equal(Math.Round((decimal)emailRevenue / netSales, 4, MidpointRounding.AwayFromZero), current.GetProperty("share_of_revenue").GetDecimal());
        Assert.Equal(current.GetProperty("recipients").GetInt64(),
            email.GetProperty("by_kind").EnumerateObject().Sum(k => k.Value.GetProperty("recipients").GetInt64()));
        Assert.Equal(await system.Scalar($"SELECT count(DISTINCT (kind, message_id)) FROM transform.email_daily WHERE {inPeriod}"),
            email.GetProperty("messages").GetArrayLength());
        // The KPI/Alert service's copy of the same e-mail, from the marketing events, gives the same sums; and the demo's
        // abandoned-cart flow, which stopped 2 days ago after sending every day, raises flow_stopped.
        Dictionary<string, JsonElement> emailKpis = [];
        for (var attempt = 0; attempt < 100; attempt++)
        {
            emailKpis = (await http.GetFromJsonAsync<JsonElement>($"/api/kpis?shop={shop}&from={emailFrom}&to={emailTo}")).GetProperty("email")
                .EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
            if (emailKpis.TryGetValue("email_revenue", out var copied) && copied.GetProperty("value").GetDecimal() == emailRevenue) break;
            await Task.Delay(200);
        }
        Assert.Equal(emailRevenue, emailKpis["email_revenue"].GetProperty("value").GetDecimal());
        Assert.Equal(current.GetProperty("recipients").GetInt64(), emailKpis["email_recipients"].GetProperty("value").GetDecimal());
        Assert.Equal(Math.Round((decimal)current.GetProperty("clicks").GetInt64() / current.GetProperty("delivered").GetInt64(), 6,
            MidpointRounding.AwayFromZero), emailKpis["email_click_rate"].GetProperty("value").GetDecimal());
        JsonElement? stopped = null;
        for (var attempt = 0; attempt < 100 && stopped is null; attempt++)
        {
            stopped = (await http.GetFromJsonAsync<JsonElement>($"/api/alerts?shop={shop}")).GetProperty("alerts").EnumerateArray()
                .Where(a => a.GetProperty("rule").GetString() == "flow_stopped").Select(a => (JsonElement?)a).FirstOrDefault();
            if (stopped is null) await Task.Delay(200);
        }
        Assert.True(stopped is not null, "no flow_stopped alert was raised for the demo's abandoned-cart flow");
        Assert.Equal(("flow:AbCart", "warning"), (stopped.Value.GetProperty("subject").GetString(), stopped.Value.GetProperty("severity").GetString()));
        Assert.Equal(2m, stopped.Value.GetProperty("raised_figures").GetProperty("days_silent").GetDecimal());
        using (var otherShop = system.GatewayClient(RunningSystem.KpiOperatorKey))
            Assert.Equal(HttpStatusCode.Forbidden, (await otherShop.GetAsync($"/api/marketing/email?shop={shop}&days=30")).StatusCode);
        Assert.Equal(0, await system.Scalar($"""
            SELECT count(*) FROM transform.data_quality_result
            WHERE shop_domain = '{shop}' AND check_name LIKE 'marketing%' AND NOT passed AND severity = 'critical'
            """));

        // The dashboard's figures are the marts': spend per source from the staged campaign days, sessions from the channel days.
        var dashboard = await http.GetFromJsonAsync<JsonElement>($"/api/dashboard/marketing?shop={shop}&days=30");
        var totals = dashboard.GetProperty("totals");
        var from = yesterday.AddDays(-29).ToString("yyyy-MM-dd");
        var metaSpend = await system.Scalar(
            $"SELECT sum(spend_minor) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}' AND source = 'meta' AND day >= '{from}'");
        var googleSpend = await system.Scalar(
            $"SELECT sum(spend_minor) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}' AND source = 'google_ads' AND day >= '{from}'");
        var sessions = await system.Scalar($"SELECT sum(sessions) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}' AND day >= '{from}'");
        Assert.True(metaSpend > 0 && googleSpend > 0 && sessions > 0);
        Assert.Equal(metaSpend, totals.GetProperty("spend_by_source").GetProperty("meta").GetInt64());
        Assert.Equal(googleSpend, totals.GetProperty("spend_by_source").GetProperty("google_ads").GetInt64());
        Assert.Equal(metaSpend + googleSpend, totals.GetProperty("spend_minor").GetInt64());
        Assert.Equal(sessions, totals.GetProperty("sessions").GetInt64());
        Assert.Equal(sessions, totals.GetProperty("sessions_by_channel_group").EnumerateObject().Sum(c => c.Value.GetInt64()));
        Assert.Equal(30, dashboard.GetProperty("days").GetArrayLength());
        var clicks = totals.GetProperty("clicks").GetInt64();
        Assert.Equal(Math.Round((decimal)clicks / totals.GetProperty("impressions").GetInt64(), 6), totals.GetProperty("ctr").GetDecimal());

        // Per campaign, the planted prospecting campaign returns less than it cost in the last week.
        var campaigns = await http.GetFromJsonAsync<JsonElement>(
            $"/api/marketing/campaigns?shop={shop}&from={yesterday.AddDays(-6):yyyy-MM-dd}&to={yesterday:yyyy-MM-dd}");
        var list = campaigns.GetProperty("campaigns").EnumerateArray().ToList();
        Assert.Equal(8, list.Count);
        var prospecting = list.Single(c => c.GetProperty("name").GetString()!.StartsWith("Prospecting"));
        Assert.True(prospecting.GetProperty("roas").GetDecimal() < 1m, prospecting.ToString());
        Assert.Equal("Paid Social", prospecting.GetProperty("channel").GetString());

        // No token in any log.
        foreach (var service in new[] { "Connector", "IngestSaga", "Transform", "ApiGateway" })
        {
            Assert.DoesNotContain(RunningSystem.MetaToken, system.Logs(service));
            Assert.DoesNotContain(RunningSystem.KlaviyoKey, system.Logs(service));
            Assert.DoesNotContain(RunningSystem.GoogleToken, system.Logs(service));
            Assert.DoesNotContain(RunningSystem.GoogleRefreshToken, system.Logs(service));
            Assert.DoesNotContain("ya29.a0sandbox", system.Logs(service));
        }

        // A second sync re-reads only Meta's trailing 28 days, replacing them: the figures do not change.
        var spendBefore = await system.Scalar($"SELECT sum(spend_minor) FROM transform.marketing_daily WHERE shop_domain = '{shop}'");
        var again = await Completed(http, (await StartMarketingSync(http, shop, "meta"))["meta"]);
        Assert.Equal(DateOnly.Parse(again.GetProperty("until").GetString()!).AddDays(-27), DateOnly.Parse(again.GetProperty("since").GetString()!));
        Assert.Equal(spendBefore, await system.Scalar($"SELECT sum(spend_minor) FROM transform.marketing_daily WHERE shop_domain = '{shop}'"));
        Assert.Equal(180, await system.Scalar($"SELECT count(*) FROM transform.marketing_daily WHERE shop_domain = '{shop}'"));
    }

    [Fact]
    public async Task A_marketing_replay_reloads_an_archived_fetch_or_uploaded_pages_without_calling_the_source()
    {
        using var http = system.GatewayClient();
        var shop = RunningSystem.MarketingReplayShop;
        var synced = await Completed(http, (await StartMarketingSync(http, shop, "ga4"))["ga4"]);
        var manifestKey = synced.GetProperty("manifest_key").GetString()!;
        var figures = $"SELECT sum(sessions) * 1000 + count(*) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}'";
        var before = await system.Scalar(figures);
        var fetchesBefore = await system.SettledLogCount("Connector", l => l.Contains("runReport") && l.Contains(shop));

        var replayed = await http.PostAsJsonAsync($"/api/ingest/replay?shop={shop}&source=ga4", new { archiveKey = manifestKey });
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        var replay = await Completed(http, (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid());
        Assert.Equal("MARKETING_REPLAY", replay.GetProperty("job_type").GetString());
        Assert.Equal(before, await system.Scalar(figures));

        // An uploaded array of GA4's own answers: one day's two channel groups replace that day.
        var day = DateOnly.Parse(synced.GetProperty("until").GetString()!).AddDays(-3);
        var upload = $$"""
            [{"dimensionHeaders":[{"name":"date"},{"name":"sessionDefaultChannelGroup"}],
              "metricHeaders":[{"name":"sessions","type":"TYPE_INTEGER"},{"name":"totalUsers","type":"TYPE_INTEGER"},
                               {"name":"keyEvents","type":"TYPE_FLOAT"},{"name":"purchaseRevenue","type":"TYPE_CURRENCY"}],
              "rows":[{"dimensionValues":[{"value":"{{day:yyyyMMdd}}"},{"value":"Direct"}],
                       "metricValues":[{"value":"1000"},{"value":"800"},{"value":"20"},{"value":"1999.9899999999998"}]},
                      {"dimensionValues":[{"value":"{{day:yyyyMMdd}}"},{"value":"Email"}],
                       "metricValues":[{"value":"500"},{"value":"400"},{"value":"10"},{"value":"1000.005"}]}],
              "rowCount":2,"metadata":{"currencyCode":"USD","timeZone":"UTC"},"kind":"analyticsData#runReport"}]
            """;
        var uploaded = await http.PostAsync($"/api/ingest/replay?shop={shop}&source=ga4", new StringContent(upload, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        await Completed(http, (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run_id").GetGuid());
        Assert.Equal(1500,
            await system.Scalar($"SELECT sum(sessions) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}' AND day = '{day:yyyy-MM-dd}'"));
        // 1999.9899999999998 is 199999 cents; 1000.005 rounds half away from zero to 100001.
        Assert.Equal(300_000,
            await system.Scalar($"SELECT sum(revenue_minor) FROM transform.traffic_channel_day WHERE shop_domain = '{shop}' AND day = '{day:yyyy-MM-dd}'"));
        Assert.Equal(1500, await system.Scalar($"SELECT sessions FROM transform.marketing_daily WHERE shop_domain = '{shop}' AND date = '{day:yyyy-MM-dd}'"));
        Assert.Equal(fetchesBefore, system.Logs("Connector").Split('\n').Count(l => l.Contains("runReport") && l.Contains(shop)));

        // Another shop's archive, an unknown source and a body that is no answer are refused with the parameter named.
        var foreign = await http.PostAsJsonAsync($"/api/ingest/replay?shop={RunningSystem.MarketingShop}&source=ga4", new { archiveKey = manifestKey });
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal("archiveKey", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        var unknown = await http.PostAsJsonAsync($"/api/ingest/replay?shop={shop}&source=tiktok", new { archiveKey = manifestKey });
        Assert.Equal("source", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        var notAnswers = await http.PostAsync($"/api/ingest/replay?shop={shop}&source=ga4", new StringContent("[1, 2]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notAnswers.StatusCode);
    }

    [Fact]
    public async Task A_marketing_sync_request_names_what_is_wrong()
    {
        using var http = system.GatewayClient();
        foreach (var (body, parameter) in new (object, string)[]
                 {
                     (new { shop = "nowhere.myshopify.com" }, "shop"),
                     (new { shop = RunningSystem.MarketingShop, sources = new[] { "tiktok" } }, "sources"),
                     (new { shop = RunningSystem.Shop, sources = new[] { "meta" } }, "sources"),
                     (new { shop = RunningSystem.MarketingShop, from = "2026-01-10", to = "2026-01-01" }, "from"),
                     (new { shop = RunningSystem.MarketingShop, from = "2026-01-10" }, "to"),
                 })
        {
            var refused = await http.PostAsJsonAsync("/api/marketing/sync", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(parameter, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString());
        }
    }
}

/// <summary>A marketing sync whose Connector or Ingest-Saga is killed mid-fetch ends like an undisturbed sync of a twin shop.</summary>
[Collection(SystemCollection.Name)]
public sealed class MarketingCrashSafetyTests(RunningSystem system)
{
    private static readonly SemaphoreSlim ReferenceLock = new(1, 1);
    private static string? _reference;

    [Theory]
    [InlineData("Connector")]
    [InlineData("IngestSaga")]
    public async Task A_marketing_sync_killed_mid_fetch_ends_like_an_undisturbed_one(string service)
    {
        var reference = await Reference();
        using var http = system.GatewayClient();
        var shop = RunningSystem.MarketingTwinShop(service);
        var runId = await Start(http, shop);
        await system.WaitForStatus(http, runId, "fetching");
        await system.KillAndRestart(service);

        var run = await system.WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}\n{system.AllLogs()}");
        Assert.Equal(reference, await Fingerprint(shop));
    }

    private static async Task<Guid> Start(HttpClient http, string shop)
    {
        var accepted = await http.PostAsJsonAsync("/api/marketing/sync", new { shop, sources = new[] { "meta" } });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs")[0].GetProperty("run_id").GetGuid();
    }

    private async Task<string> Reference()
    {
        await ReferenceLock.WaitAsync();
        try
        {
            if (_reference is not null) return _reference;
            using var http = system.GatewayClient();
            var run = await system.WaitForRunToFinish(http, await Start(http, RunningSystem.MarketingReferenceShop));
            Assert.Equal("completed", run.GetProperty("status").GetString());
            return _reference = await Fingerprint(RunningSystem.MarketingReferenceShop);
        }
        finally
        {
            ReferenceLock.Release();
        }
    }

    /// <summary>What the sync leaves: campaign days, money, clicks and value, the mart's days, and the watermark.</summary>
    private async Task<string> Fingerprint(string shop) =>
        string.Join(" | ",
            await system.Scalar($"SELECT count(*) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}'"),
            await system.Scalar($"SELECT sum(spend_minor) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}'"),
            await system.Scalar($"SELECT sum(clicks) * 7 + sum(conversion_value_minor) FROM transform.ad_campaign_day WHERE shop_domain = '{shop}'"),
            await system.Scalar($"SELECT count(*) * 1000000 + sum(meta_spend_minor) % 1000000 FROM transform.marketing_daily WHERE shop_domain = '{shop}'"),
            await system.Query<DateTime>($"SELECT synced_through::timestamp FROM ingest.marketing_watermark WHERE shop_domain = '{shop}' AND source = 'meta'"));
}
