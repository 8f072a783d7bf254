using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Testing;
using GrowthOs.Transform.Marketing;
using GrowthOs.Transform.Marts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// The marketing staging, star and <c>marketing_daily</c> computed from Fixtures/Marketing (two days of Meta, Google Ads
/// and GA4 answers, archived to the real S3-compatible server and loaded through the consumers on the in-memory bus)
/// and held against figures worked out by hand, with the arithmetic beside each. The shop is USD, reporting in UTC.
/// </summary>
public sealed class GoldenMarketingTests : IAsyncLifetime
{
    private const string Shop = "golden-marketing.myshopify.com";
    private static readonly DateOnly First = new(2026, 11, 1), Second = new(2026, 11, 2);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ObjectStore _store = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_golden_marketing");
        _store = new ObjectStore(LocalInfrastructure.S3Client(),
            Options.Create(new S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = LocalInfrastructure.NewBucketName("marketing") }));
        await _store.EnsureBucket(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton(_store)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new MarketingOptions()))
            .AddSingleton(Options.Create(new MartsOptions()))
            .AddSingleton<EtlExecutionLog>()
            .AddSingleton<DataQualityRunner>()
            .AddSingleton<MarketingUpserter>()
            .AddSingleton<MarketingRefresher>()
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<UpsertMarketingReportConsumer>();
                bus.AddConsumer<RefreshMarketingMartsConsumer>();
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        _harness.TestTimeout = TimeSpan.FromSeconds(30);
        await _harness.Start();
        await Execute("INSERT INTO transform.dim_shop (shop_domain, currency_code, reporting_time_zone) VALUES (@shop, 'USD', 'UTC')");
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Archives the fixtures as a run's pages with their manifest, as the Connector does, and returns the manifest's key.</summary>
    private async Task<string> Archive(string source, string account, DateOnly? since, DateOnly? until, params string[] fixtures) =>
        await ArchiveBodies(source, account, since, until,
            await Task.WhenAll(fixtures.Select(f => File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Marketing", f)))));

    private async Task<string> ArchiveBodies(string source, string account, DateOnly? since, DateOnly? until, params string[] bodies)
    {
        var runId = Guid.NewGuid();
        var prefix = MarketingArchiveKeys.Prefix(source, Shop, DateTimeOffset.UtcNow, runId, 1);
        var pages = new List<MarketingArchivedPage>();
        foreach (var body in bodies)
        {
            var key = MarketingArchiveKeys.Page(prefix, pages.Count + 1);
            await _store.PutText(key, body, "application/json", CancellationToken.None);
            pages.Add(new MarketingArchivedPage(key, "golden", "", since, until, DateTimeOffset.UtcNow, 0, body.Length));
        }
        var manifest = MarketingArchiveKeys.Manifest(prefix);
        await _store.PutText(manifest,
            JsonSerializer.Serialize(new MarketingArchiveManifest(source, Shop, account, runId, 1, since, until, DateTimeOffset.UtcNow, false, null, pages),
                JsonSerializerOptions.Web), "application/json", CancellationToken.None);
        return manifest;
    }

    private async Task<MarketingReportUpserted> Upsert(string source, string manifestKey)
    {
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new UpsertMarketingReport(runId, Shop, source, manifestKey));
        return (await _harness.Published.SelectAsync<MarketingReportUpserted>(x => x.Context.Message.RunId == runId).First()).Context.Message;
    }

    private async Task<MarketingDailyUpdated> Refresh(DateOnly from, DateOnly to)
    {
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new RefreshMarketingMarts(runId, Shop, MarketingSources.Meta, from, to));
        Assert.True(await _harness.Published.Any<MartsRefreshed>(x => x.Context.Message.RunId == runId));
        return (await _harness.Published.SelectAsync<MarketingDailyUpdated>(x => x.Context.Message.RunId == runId).First()).Context.Message;
    }

    private async Task LoadAll()
    {
        var meta = await Upsert(MarketingSources.Meta, await Archive(MarketingSources.Meta, "act_111", First, Second, "meta_page_1.json", "meta_page_2.json"));
        // 4 + 2 rows: the spend of 12.345 USD (a decimal too many) and the row dated 2099 are left out.
        Assert.Equal((4L, 2L, First, Second), (meta.Rows, meta.Rejected, meta.FirstDate, meta.LastDate));
        var google = await Upsert(MarketingSources.GoogleAds,
            await Archive(MarketingSources.GoogleAds, "customers/2222222222", First, Second, "google_ads.json"));
        Assert.Equal((3L, 0L), (google.Rows, google.Rejected));
        var ga4 = await Upsert(MarketingSources.Ga4, await Archive(MarketingSources.Ga4, "properties/444", First, Second, "ga4.json"));
        Assert.Equal((4L, 0L), (ga4.Rows, ga4.Rejected));
    }

    private async Task<Dictionary<DateOnly, long[]>> MarketingDaily()
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT date, meta_spend_minor, google_spend_minor, spend_minor, meta_impressions, google_impressions, impressions, meta_clicks, google_clicks,
                   clicks, (meta_conversions * 100)::bigint, meta_conversion_value_minor, (google_conversions * 100)::bigint, google_conversion_value_minor,
                   sessions, users, (key_events * 100)::bigint, ga4_revenue_minor, not_comparable_rows
            FROM transform.marketing_daily WHERE shop_domain = @shop ORDER BY date
            """);
        command.Parameters.AddWithValue("shop", Shop);
        var days = new Dictionary<DateOnly, long[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            days[reader.GetFieldValue<DateOnly>(0)] = Enumerable.Range(1, 18).Select(i => Convert.ToInt64(reader.GetValue(i))).ToArray();
        return days;
    }

    [Fact]
    public async Task Marketing_daily_sums_each_source_in_minor_units_exactly_with_a_zero_row_for_every_day_without_delivery()
    {
        await LoadAll();
        var updated = await Refresh(First.AddDays(-1), Second.AddDays(1));
        var days = await MarketingDaily();

        Assert.Equal([First.AddDays(-1), First, Second, Second.AddDays(1)], days.Keys.Order());
        Assert.All(new[] { First.AddDays(-1), Second.AddDays(1) }, d => Assert.All(days[d], v => Assert.Equal(0, v)));
        //                              meta spend  google  total  meta imp  google imp  imp   meta clk  google clk  clk  meta conv  meta value
        //                              google conv  google value  sessions  users  key events  ga4 revenue  foreign
        Assert.Equal(new long[] { 1575, 123, 1698, 1400, 350, 1750, 32, 35, 67, 300, 5050, 150, 4568, 140, 110, 500, 25009, 1 }, days[First]);
        // Nov 1 — Meta: 10.50 + 5.25 = 15.75 USD → 1575; impressions 1000 + 400; clicks 20 + 12; purchases 2 (omni_purchase, not also
        //   purchase: overlapping types are never summed) + 1 (purchase, no omni_purchase reported) = 3; value 30.00 + 20.50 = 5050.
        // Google: 1,234,567 micros = 123.4567 cents → 123 (the EUR account's 5.00 is left out of money, its 50 impressions and
        //   5 clicks count: 300 + 50 and 30 + 5); conversions 1.5; value 45.675 → 4567.5 cents → 4568 (half away from zero).
        // GA4: sessions 100 + 40, users 80 + 30, key events 3 + 2; revenue 150.10000000000002 → 15010 and 99.99499999999999 →
        //   9999.499… → 9999: 25009. One foreign-currency row.
        Assert.Equal(new long[] { 899, 201, 1100, 900, 200, 1100, 13, 0, 13, 100, 999, 0, 0, 290, 220, 400, 21001, 0 }, days[Second]);
        // Nov 2 — Meta: 8 + 0.99 = 8.99 → 899; impressions 800 + 100; clicks 10 + 3; one purchase (fb_pixel_purchase) worth 9.99.
        // Google: 2,005,000 micros = 200.5 cents → 201; 200 impressions, clicks and conversions left out as zero by proto3.
        // GA4: sessions 90 + 200, users 70 + 150, key events 0 + 4; revenue 0 + 210.005 → 21000.5 → 21001.

        // The event carries the same figures per source and day, and the comparable campaign days.
        Assert.Equal("USD", updated.CurrencyCode);
        var metaFirst = updated.Days.Single(d => d.Date == First && d.Source == MarketingSources.Meta);
        Assert.Equal((1575L, 1400L, 32L, 3m, 5050L),
            (metaFirst.SpendMinor, metaFirst.Impressions, metaFirst.Clicks, metaFirst.Conversions, metaFirst.ConversionValueMinor));
        var ga4Second = updated.Days.Single(d => d.Date == Second && d.Source == MarketingSources.Ga4);
        Assert.Equal((290L, 220L, 4m, 21001L), (ga4Second.Sessions, ga4Second.Users, ga4Second.KeyEvents, ga4Second.RevenueMinor));
        Assert.Equal(12, updated.Days.Count);
        Assert.Equal(6, updated.Campaigns.Count);
        Assert.DoesNotContain(updated.Campaigns, c => c.CampaignId == "709");
        Assert.Equal("Prospecting - Broad", updated.Campaigns.First(c => c.CampaignId == "601").CampaignName);

        // The star: one member per campaign with its latest name and the channel its traffic lands in; facts on surrogate keys.
        Assert.Equal(5L, await Scalar("SELECT count(*) FROM transform.dim_campaign"));
        Assert.Equal("Paid Social|Paid Search|Paid Shopping|Cross-network", await Text("""
            SELECT string_agg(channel, '|' ORDER BY CASE external_id WHEN '601' THEN 0 WHEN '701' THEN 1 WHEN '702' THEN 2 ELSE 3 END)
            FROM transform.dim_campaign WHERE external_id IN ('601', '701', '702', '709')
            """));
        Assert.Equal(7L, await Scalar("SELECT count(*) FROM transform.fact_ad_daily"));
        Assert.Equal(4L, await Scalar("SELECT count(*) FROM transform.fact_traffic_daily"));
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.data_quality_result WHERE NOT passed AND severity = 'critical'"));
        // The EUR account and the Berlin time zone are named by their warnings.
        Assert.Equal(1L, await Scalar("SELECT violations FROM transform.data_quality_result WHERE check_name = 'marketing_time_zone_is_the_shops'"));
    }

    [Fact]
    public async Task A_day_read_again_replaces_the_days_it_covers_and_leaves_the_others()
    {
        await LoadAll();
        await Refresh(First, Second);
        // Meta answers Nov 1 again: the prospecting campaign revised, the retargeting one gone from that day.
        var reread = await Upsert(MarketingSources.Meta, await Archive(MarketingSources.Meta, "act_111", First, First, "meta_reread.json"));
        Assert.Equal((First, First), (reread.Since, reread.Until));
        await Refresh(First, Second);
        var days = await MarketingDaily();
        // Nov 1: Meta is now 11.00 → 1100 only (retargeting's 525 is gone), 1100 impressions, 22 clicks, 3 purchases worth 44.10.
        Assert.Equal(new long[] { 1100, 123, 1223, 1100, 350, 1450, 22, 35, 57, 300, 4410 }, days[First][..11]);
        // Nov 2 is as it was.
        Assert.Equal(new long[] { 899, 201, 1100 }, days[Second][..3]);
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.ad_campaign_day WHERE campaign_id = '602' AND day = '2026-11-01'"));
        // The gap check sees both loads' days covered.
        Assert.Equal(0L, await Scalar("SELECT violations FROM transform.data_quality_result "
            + "WHERE check_name = 'marketing_no_gap_in_synced_range' ORDER BY id DESC LIMIT 1"));
    }

    /// <summary>A Meta insights page of one day: each campaign's spend (in cents) and purchase value (in cents), as Meta answers them.</summary>
    private static string MetaDay(DateOnly day, params (string Campaign, int SpendCents, int ValueCents)[] campaigns) =>
        JsonSerializer.Serialize(new
        {
            data = campaigns.Select(c => new Dictionary<string, object>
            {
                ["campaign_id"] = c.Campaign, ["campaign_name"] = $"Campaign {c.Campaign}", ["account_currency"] = "USD",
                ["spend"] = (c.SpendCents / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), ["impressions"] = "1000",
                ["clicks"] = "10",
                ["actions"] = new[] { new { action_type = "omni_purchase", value = "1" } },
                ["action_values"] = new[]
                {
                    new { action_type = "omni_purchase", value = (c.ValueCents / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) },
                },
                ["date_start"] = day.ToString("yyyy-MM-dd"), ["date_stop"] = day.ToString("yyyy-MM-dd"),
            }),
            paging = new { cursors = new { before = "MAZDZD", after = "MAZDZD" } },
        });

    /// <summary>
    /// Archives one page a day as the Connector archives a day-chunked read, each page with its own window; partial when the source refused the rest.
    /// </summary>
    private async Task<string> ArchiveDays(DateOnly since, DateOnly until, bool partial, params (DateOnly Day, string Body)[] days)
    {
        var runId = Guid.NewGuid();
        var prefix = MarketingArchiveKeys.Prefix(MarketingSources.Meta, Shop, DateTimeOffset.UtcNow, runId, 1);
        var pages = new List<MarketingArchivedPage>();
        foreach (var (day, body) in days)
        {
            var key = MarketingArchiveKeys.Page(prefix, pages.Count + 1);
            await _store.PutText(key, body, "application/json", CancellationToken.None);
            pages.Add(new MarketingArchivedPage(key, "insights", "", day, day, DateTimeOffset.UtcNow, 0, body.Length));
        }
        var manifest = MarketingArchiveKeys.Manifest(prefix);
        await _store.PutText(manifest, JsonSerializer.Serialize(new MarketingArchiveManifest(MarketingSources.Meta, Shop, "act_111", runId, 1, since, until,
            DateTimeOffset.UtcNow, partial, partial ? "1: Please reduce the amount of data you're asking for" : null, pages), JsonSerializerOptions.Web),
            "application/json", CancellationToken.None);
        return manifest;
    }

    [Fact]
    public async Task A_trailing_re_read_refused_after_page_2_of_5_replaces_only_the_days_it_read_whole_and_keeps_the_others()
    {
        var days = Enumerable.Range(0, 5).Select(i => First.AddDays(i)).ToArray();
        // The first read: every day, prospecting (601) and retargeting (602).
        await Upsert(MarketingSources.Meta, await ArchiveDays(days[0], days[^1], partial: false,
            days.Select((d, i) => (d, MetaDay(d, ("601", 1_000 + i, 2_000 + i), ("602", 500, 1_500)))).ToArray()));
        await Refresh(days[0], days[^1]);
        var before = await MarketingDaily();

        // The re-read of the same days: Meta answers pages 1 and 2 (revised; 602 gone) and refuses the rest.
        var reread = await Upsert(MarketingSources.Meta, await ArchiveDays(days[0], days[^1], partial: true,
            (days[0], MetaDay(days[0], ("601", 3_000, 1_000))), (days[1], MetaDay(days[1], ("601", 4_000, 1_000)))));
        Assert.Equal(2L, reread.Rows);
        await Refresh(days[0], days[^1]);
        var after = await MarketingDaily();

        // Day 1, read whole, is replaced: 30.00 spent, 602 gone. Day 2, the page the refusal followed, may have lacked later
        // pages: its 601 row is replaced, 602's stays. Days 3 to 5 keep their spend and value (their ROAS) as they were.
        Assert.Equal((3_000L, 1_000L), (after[days[0]][0], after[days[0]][10]));
        Assert.Equal((4_000L + 500, 1_000L + 1_500), (after[days[1]][0], after[days[1]][10]));
        foreach (var day in days[2..])
            Assert.Equal((before[day][0], before[day][10]), (after[day][0], after[day][10]));
        // 602 is gone from day 1 only: days 2 to 5 keep it.
        Assert.Equal(4L, await Scalar("SELECT count(*) FROM transform.ad_campaign_day WHERE campaign_id = '602'"));
        // The days read whole are those of every page's window but the last one's.
        Assert.Equal([days[0]], MarketingUpserter.WholeDays(new MarketingArchiveManifest(MarketingSources.Meta, Shop, "act_111", Guid.NewGuid(), 1, days[0],
            days[^1], DateTimeOffset.UtcNow, true, "cut", [new("a", "insights", "", days[0], days[0], DateTimeOffset.UtcNow, 1, 1),
                new("b", "insights", "", days[1], days[1], DateTimeOffset.UtcNow, 1, 1)])));
    }

    /// <summary>
    /// A searchStream answer as another tool exported it: Google's shape, but without <c>customer.currencyCode</c> (the
    /// field the Connector's own query asks for).
    /// </summary>
    private const string ExportedFieldMask = "customer.resourceName,campaign.id,campaign.name,metrics.costMicros,metrics.impressions,"
        + "metrics.clicks,metrics.conversions,metrics.conversionsValue,segments.date";

    private static readonly string GoogleWithoutCurrency = $$$"""
        [{"results":[
          {"customer":{"resourceName":"customers/2222222222"},
           "campaign":{"resourceName":"customers/2222222222/campaigns/701","id":"701","name":"Search - Brand"},
           "metrics":{"costMicros":"2500000","impressions":"100","clicks":"7","conversions":1.0,"conversionsValue":30.0},"segments":{"date":"2026-11-01"}},
          {"customer":{"resourceName":"customers/2222222222"},"campaign":{"resourceName":"customers/2222222222/campaigns/702","id":"702","name":"Shopping"},
           "metrics":{"costMicros":"1500000","impressions":"50","clicks":"3"},"segments":{"date":"2026-11-02"}}],
          "fieldMask":"{{{ExportedFieldMask}}}",
          "requestId":"export-1"}]
        """;

    [Fact]
    public async Task Rows_without_their_accounts_currency_are_left_out_and_named_until_the_account_is_known_and_then_take_its_currency()
    {
        // No load has named the account's currency yet: every row is left out, with its reason, and the check names Google Ads.
        var unknown = await Upsert(MarketingSources.GoogleAds,
            await ArchiveBodies(MarketingSources.GoogleAds, "customers/2222222222", First, Second, GoogleWithoutCurrency));
        Assert.Equal((0L, 2L), (unknown.Rows, unknown.Rejected));
        Assert.Equal(2, unknown.RejectedExamples!.Count);
        Assert.All(unknown.RejectedExamples, e => Assert.Contains("customer.currencyCode is missing", e));
        await Refresh(First, Second);
        Assert.Equal(1L, await Scalar("SELECT violations FROM transform.data_quality_result "
            + "WHERE check_name = 'marketing_rows_rejected_google_ads' ORDER BY id DESC LIMIT 1"));
        Assert.Equal(0L, await Scalar("SELECT violations FROM transform.data_quality_result "
            + "WHERE check_name = 'marketing_rows_rejected_meta' ORDER BY id DESC LIMIT 1"));

        // Once a load of the account has said its currency (USD), the same export loads in it: 2.50 and 1.50 USD.
        await LoadAll();
        var known = await Upsert(MarketingSources.GoogleAds,
            await ArchiveBodies(MarketingSources.GoogleAds, "customers/2222222222", First, Second, GoogleWithoutCurrency));
        Assert.Equal((2L, 0L), (known.Rows, known.Rejected));
        Assert.Equal(250L + 150L, await Scalar(
            $"SELECT sum(spend_minor) FROM transform.ad_campaign_day WHERE shop_domain = '{Shop}' AND source = 'google_ads' AND currency_code = 'USD'"));
        await Refresh(First, Second);
        Assert.Equal(0L, await Scalar("SELECT violations FROM transform.data_quality_result "
            + "WHERE check_name = 'marketing_rows_rejected_google_ads' ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task A_page_that_is_not_its_sources_answer_or_a_manifest_of_another_shop_fails_the_upsert_with_the_reason()
    {
        var manifest = await Archive(MarketingSources.Meta, "act_111", First, Second, "google_ads.json");
        var runId = Guid.NewGuid();
        await _harness.Bus.Publish(new UpsertMarketingReport(runId, Shop, MarketingSources.Meta, manifest));
        var failed = (await _harness.Published.SelectAsync<TransformFailed>(x => x.Context.Message.RunId == runId).First()).Context.Message;
        Assert.Equal("upserting", failed.Step);
        Assert.Contains("not an insights answer", failed.Reason);
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.ad_campaign_day"));

        var foreign = Guid.NewGuid();
        await _harness.Bus.Publish(new UpsertMarketingReport(foreign, "other.myshopify.com", MarketingSources.Meta, manifest));
        var refused = (await _harness.Published.SelectAsync<TransformFailed>(x => x.Context.Message.RunId == foreign).First()).Context.Message;
        Assert.Contains("not in the archive of other.myshopify.com", refused.Reason);
    }

    private async Task Execute(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("shop", Shop);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<string?> Text(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync() as string;
    }
}
