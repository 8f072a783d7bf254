using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.Testing;
using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// Every mart computed from Fixtures/golden_shop.jsonl (written children first) and held against figures worked out by
/// hand, with the arithmetic beside each. The shop: USD, orders #1 to #9, products 1 to 3, customers 1 to 8.
/// </summary>
public sealed class GoldenMartTests : IAsyncLifetime
{
    private const string Shop = "golden.myshopify.com";
    private static readonly DateOnly AsOf = new(2026, 11, 20);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    private static MartsOptions Options(string? zone = null)
    {
        var options = new MartsOptions { Inventory = { FastUnitsPerDay = 0.12m, MediumUnitsPerDay = 0.05m } };
        if (zone is not null) options.TimeZones = ReportingTimeZones.Of(new Dictionary<string, string> { [Shop] = zone });
        return options;
    }

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_golden");
        await using var fixture = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden_shop.jsonl"));
        var loader = TransformDatabase.Loader(_dataSource, chunkSize: 7);
        var summary = await loader.Load(fixture, Shop, Guid.NewGuid(), "golden", CancellationToken.None);
        Assert.Equal(0, summary.Rejected);
    }

    private async Task<Dictionary<DateOnly, long[]>> DailySales(string? zone = null)
    {
        await new DailySalesRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options(zone)))
            .Refresh(Shop, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14), CancellationToken.None);
        var days = new Dictionary<DateOnly, long[]>();
        await using var command = _dataSource.CreateCommand("""
            SELECT date, orders, revenue_minor, aov_minor, gross_sales_minor, discounts_minor, refunds_minor, net_sales_minor, orders_fulfilled,
                   (fulfillment_rate * 10000)::bigint
            FROM transform.sales_metrics_daily WHERE shop_domain = @shop
            """);
        command.Parameters.AddWithValue("shop", Shop);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            days[reader.GetFieldValue<DateOnly>(0)] = Enumerable.Range(1, 9).Select(i => Convert.ToInt64(reader.GetValue(i))).ToArray();
        return days;
    }

    [Fact]
    public async Task The_30_day_pulse_ends_yesterday_in_the_shop_reporting_zone()
    {
        // A zone whose date is not UTC's at this moment, with an hour to spare either way: Kiritimati (UTC+14) is a day
        // ahead from 10:00 UTC, Pago Pago (UTC-11) a day behind until 11:00 UTC.
        var now = DateTimeOffset.UtcNow;
        var zone = now.Hour >= 10 ? "Pacific/Kiritimati" : "Pacific/Pago_Pago";
        var today = Options(zone).Today(Shop, now);
        Assert.NotEqual(DateOnly.FromDateTime(now.UtcDateTime), today);
        await using (var rows = _dataSource.CreateCommand("""
            INSERT INTO transform.dim_shop (shop_domain, reporting_time_zone) VALUES (@shop, @zone);
            INSERT INTO transform.sales_metrics_daily (shop_domain, date, currency_code, orders, revenue_minor)
            SELECT @shop, d::date, 'USD', 1, 100 FROM generate_series(@today::date - 35, @today::date + 1, interval '1 day') d;
            """))
        {
            rows.Parameters.AddWithValue("shop", Shop);
            rows.Parameters.AddWithValue("zone", zone);
            rows.Parameters.AddWithValue("today", today);
            await rows.ExecuteNonQueryAsync();
        }

        await using var pulse = _dataSource.CreateCommand("SELECT date_from, date_to, orders FROM transform.v_sales_pulse_30d WHERE shop_domain = @shop");
        pulse.Parameters.AddWithValue("shop", Shop);
        await using var reader = await pulse.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((today.AddDays(-30), today.AddDays(-1), 30L), (reader.GetFieldValue<DateOnly>(0), reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2)));
    }

    [Fact]
    public void A_reporting_range_reaches_a_day_either_side_but_never_past_the_shop_today()
    {
        // 21 November 02:00 UTC is still 20 November, 21:00, in New York.
        var now = new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero);
        var newYork = Options("America/New_York");
        Assert.Equal((new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 16)), newYork.ReportingRange(Shop, new(2026, 11, 10), new(2026, 11, 15), now));
        Assert.Equal((new DateOnly(2026, 11, 18), new DateOnly(2026, 11, 20)), newYork.ReportingRange(Shop, new(2026, 11, 19), new(2026, 11, 21), now));
        Assert.Equal((new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 21)), Options().ReportingRange(Shop, new(2026, 11, 19), new(2026, 11, 21), now));
    }

    [Fact]
    public async Task Daily_sales_to_the_cent()
    {
        var days = await DailySales();
        //                                         orders revenue  aov   gross  disc. refunds  net  fulfilled rate×10⁴
        // 11-10: #1 60.08 + #2 54.00 = 114.08; AOV 114.08/2 = 57.04; gross (20.00×2 + 15.00×1) + (20.00×1 + 10.00×3) = 105.00;
        //        discounts 4.00 (#1); net 105.00 − 4.00 = 101.00; #1 fulfilled, #2 only partly: 1/2
        Assert.Equal([2, 11408, 5704, 10500, 400, 0, 10100, 1, 5000], days[new DateOnly(2026, 11, 10)]);
        // 11-11: #3 cancelled and #4 a test order count nowhere
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0], days[new DateOnly(2026, 11, 11)]);
        // 11-12: no order at all, still a row
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0], days[new DateOnly(2026, 11, 12)]);
        // 11-13: #1's refund of 16.20 (15.00 + 8% tax) lands on its own day, three days after its order: net −16.20
        Assert.Equal([0, 0, 0, 0, 0, 1620, -1620, 0, 0], days[new DateOnly(2026, 11, 13)]);
        // 11-14: #5 37.40 (23:30 UTC) + #6 10.01 = 47.41; AOV 47.41/2 = 23.705, rounded half away from zero 23.71;
        //        gross 15.00×2 + 10.01×1 = 40.01; #5 fulfilled, #6 not: 1/2
        Assert.Equal([2, 4741, 2371, 4001, 0, 0, 4001, 1, 5000], days[new DateOnly(2026, 11, 14)]);
        // #1 was paid in EUR; every figure is in the shop's USD (shopMoney)
        Assert.Equal(1L, await Scalar("SELECT count(DISTINCT currency_code) FROM transform.sales_metrics_daily"));
    }

    [Fact]
    public async Task Daily_sales_in_the_shops_reporting_time_zone()
    {
        // New York is UTC−5 in November: #5 (11-14 23:30 UTC) stays on 11-14 (18:30), the refund (11-13 03:00 UTC) moves to 11-12 (22:00).
        var days = await DailySales("America/New_York");
        Assert.Equal(1620, days[new DateOnly(2026, 11, 12)][5]);
        Assert.Equal(0, days[new DateOnly(2026, 11, 13)][5]);
        Assert.Equal(2, days[new DateOnly(2026, 11, 14)][0]);
    }

    [Fact]
    public async Task Inventory_snapshot_status_tier_and_cover()
    {
        await new InventorySnapshotRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options())).Refresh(Shop, AsOf, CancellationToken.None);
        await new InventorySnapshotRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options())).Refresh(Shop, AsOf, CancellationToken.None);
        var rows = new Dictionary<long, (int Available, int Units, decimal Velocity, decimal? Cover, string Status, string Tier)>();
        await using (var command = _dataSource.CreateCommand(
            "SELECT variant_id, quantity_available, units_sold_30d, daily_velocity, days_of_cover, stock_status, velocity_tier "
            + "FROM transform.inventory_snapshots"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows[reader.GetInt64(0)] = (reader.GetInt32(1), reader.GetInt32(2), reader.GetDecimal(3), reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                    reader.GetString(5), reader.GetString(6));

        // Sales window: the 30 days 10-21 to 11-19; #3 (cancelled) and #4 (test) count nothing; #8 and #9 are older.
        // 101: #1 2 + #2 1 = 3 units, 0.1/day (medium from 0.05); stock 2 + 0 = 2, cover 2/0.1 = 20 days: in stock (14 to 120)
        Assert.Equal((2, 3, 0.1m, 20.0m, "in_stock", "medium"), rows[101]);
        // 102: #1 1 + #5 2 = 3 units, 0.1/day; stock 1, cover 10 days, under 14: low
        Assert.Equal((1, 3, 0.1m, 10.0m, "low_stock", "medium"), rows[102]);
        // 103: #2 3 + #6 1 = 4 units, 4/30 = 0.1333/day (fast from 0.12); nothing at either location: out of stock
        Assert.Equal((0, 4, 0.1333m, 0.0m, "out_of_stock", "fast"), rows[103]);
        // 104: #7 (10-21, the window's first day) 1 unit, 1/30 = 0.0333/day; stock 10 + 5 = 15, cover 15/0.0333 = 450.5 days: overstock
        Assert.Equal((15, 1, 0.0333m, 450.5m, "overstock", "slow"), rows[104]);
        // 106: no inventory item, so its inventoryQuantity 7; no sale: stagnant, no cover, overstock
        Assert.Equal((7, 0, 0m, null, "overstock", "stagnant"), rows[106]);
        // 105 belongs to an archived product: not snapshotted. Running the day twice left one row a variant.
        Assert.False(rows.ContainsKey(105));
        Assert.Equal(5L, await Scalar("SELECT count(*) FROM transform.inventory_snapshots"));
        Assert.Equal(4L, await Scalar("SELECT count(*) FROM transform.v_inventory_alerts"));
        Assert.Equal("critical", await Query<string>("SELECT severity FROM transform.v_inventory_alerts WHERE variant_id = 103"));
    }

    [Fact]
    public async Task Customer_segments_and_lifecycle_on_their_boundaries()
    {
        await new CustomerSegmentRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options())).Refresh(Shop, AsOf, CancellationToken.None);
        var rows = new Dictionary<long, (long Orders, long Spent, long Aov, string Segment, string Stage, int? Days)>();
        await using (var command = _dataSource.CreateCommand(
            "SELECT customer_id, orders, spent_minor, aov_minor, segment, lifecycle_stage, days_since_last_order FROM transform.customer_segments"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                rows[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6));

        // 1: Shopify says 6 orders, 3,100.00: AOV 516.67 ≥ 500 → Professional Shop; last order #5 on 11-14, 6 days before 11-20: active
        Assert.Equal((6L, 310000L, 51667L, "Professional Shop", "active", (int?)6), rows[1]);
        // 2: not extracted, so its loaded orders: #2 54.00 (#4 is a test) → First-time Builder; 10 days: active
        Assert.Equal((1L, 5400L, 5400L, "First-time Builder", "active", (int?)10), rows[2]);
        // 3: 3 orders, 600.00: AOV exactly 200.00 → Enthusiast Collector; #6 on 11-14: active
        Assert.Equal((3L, 60000L, 20000L, "Enthusiast Collector", "active", (int?)6), rows[3]);
        // 4: #7 on 10-21, exactly 30 days before: at risk
        Assert.Equal((1L, 2500L, 2500L, "First-time Builder", "at_risk", (int?)30), rows[4]);
        // 5: 2 orders, 80.00 → DIY Builder; #8 on 08-22, exactly 90 days before: still at risk
        Assert.Equal((2L, 8000L, 4000L, "DIY Builder", "at_risk", (int?)90), rows[5]);
        // 6: #9 on 08-21, 91 days before: churned
        Assert.Equal((1L, 4000L, 4000L, "First-time Builder", "churned", (int?)91), rows[6]);
        // 8: 4 orders of 100.00 per Shopify but none loaded (older than the history read): DIY Builder, churned
        Assert.Equal((4L, 10000L, 2500L, "DIY Builder", "churned", (int?)null), rows[8]);
        // 7 never ordered: no segment
        Assert.Equal(7, rows.Count);
        Assert.Equal(1L,
            await Scalar("SELECT customers FROM transform.v_customer_segment_summary WHERE segment = 'First-time Builder' AND lifecycle_stage = 'churned'"));
        Assert.Equal(2L, await Scalar("SELECT sum(customers) FROM transform.v_customer_segment_summary WHERE lifecycle_stage = 'at_risk'"));
    }

    [Fact]
    public async Task The_star_schema_references_dimension_keys_and_agrees_with_daily_sales()
    {
        await DailySales();
        var star = new StarSchemaRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options()));
        // Lines of counted orders in 11-10..11-14: #1 2, #2 2, #5 1, #6 1 (#3 cancelled, #4 test). Twice: the same facts.
        Assert.Equal(6L, await star.Refresh(Shop, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14), CancellationToken.None));
        Assert.Equal(6L, await star.Refresh(Shop, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14), CancellationToken.None));

        // 11-10 on the web channel: #1 and #2, 2 customers, units 2 + 1 + 1 + 3 = 7, revenue 114.08, gross 105.00
        Assert.Equal("2,2,7,11408,10500", await Query<string>("""
            SELECT concat_ws(',', f.orders, f.customers, f.units, f.revenue_minor, f.gross_minor) FROM transform.fact_daily_sales f
            JOIN transform.dim_channel c USING (channel_key) WHERE f.date_key = 20261110 AND c.source_name = 'web'
            """));
        // Line members carry the catalogue's names; facts hold keys, the line of variant 101 of #1 its net 20.00 × 2 − 4.00
        Assert.Equal("Saw|3600", await Query<string>("""
            SELECT p.product_title || '|' || f.net_minor FROM transform.fact_order_line f JOIN transform.dim_product p USING (product_key)
            WHERE f.line_item_id = 11
            """));
        Assert.Equal(20261114L, await Scalar("SELECT date_key FROM transform.fact_order_line WHERE line_item_id = 51"));

        // A refresh writes only the facts that changed: #5 cancelled, its line goes; restored, it comes back as it was.
        await Execute("UPDATE transform.order_header SET cancelled_at = now() WHERE shop_domain = 'golden.myshopify.com' AND order_id = 5");
        Assert.Equal(5L, await star.Refresh(Shop, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14), CancellationToken.None));
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.fact_order_line WHERE line_item_id = 51"));
        await Execute("UPDATE transform.order_header SET cancelled_at = NULL WHERE shop_domain = 'golden.myshopify.com' AND order_id = 5");
        Assert.Equal(6L, await star.Refresh(Shop, new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14), CancellationToken.None));
        Assert.Equal(20261114L, await Scalar("SELECT date_key FROM transform.fact_order_line WHERE line_item_id = 51"));

        var outcomes = await new GrowthOs.Transform.Marts.DataQualityRunner(_dataSource, Microsoft.Extensions.Options.Options.Create(Options()),
            TimeProvider.System).Run(Shop, null, CancellationToken.None);
        Assert.All(outcomes.Where(o => o.Severity == GrowthOs.Transform.Marts.Severity.Critical), o => Assert.True(o.Passed, $"{o.Check}: {o.Violations}"));
    }

    [Fact]
    public async Task A_syncs_refresh_of_the_orders_it_changed_leaves_the_facts_a_whole_refresh_of_the_days_would()
    {
        var (from, to) = (new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14));
        var options = Options();
        options.StarChangedShare = 1;
        var star = new StarSchemaRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(options));
        await star.Refresh(Shop, from, to, CancellationToken.None);
        // Every fact, and every day's, as text; and the row version of #6's line fact, which no sync below touches.
        const string Facts = """
            SELECT (SELECT string_agg(concat_ws(',', line_item_id, order_id, date_key, product_key, customer_key, channel_key, quantity, gross_minor,
                                                discount_minor, net_minor), ';' ORDER BY line_item_id) FROM transform.fact_order_line)
                   || ' | ' ||
                   (SELECT string_agg(concat_ws(',', date_key, channel_key, orders, customers, units, revenue_minor, gross_minor), ';'
                                      ORDER BY date_key, channel_key) FROM transform.fact_daily_sales)
            """;
        var before = await Query<string>(Facts);
        var untouched = await Query<string>("SELECT xmin::text FROM transform.fact_order_line WHERE line_item_id = 61");

        // A sync cancels #5, counts #4 (a test order no more) and sells one more of a line of #2; it writes those orders.
        var run = Guid.NewGuid();
        await Execute($"""
            UPDATE transform.order_header SET cancelled_at = now(), source_run_id = '{run}' WHERE shop_domain = '{Shop}' AND order_id = 5;
            UPDATE transform.order_header SET is_test = false, source_run_id = '{run}' WHERE shop_domain = '{Shop}' AND order_id = 4;
            UPDATE transform.order_line_item SET quantity = quantity + 1 WHERE shop_domain = '{Shop}' AND line_item_id = 21;
            UPDATE transform.order_header SET source_run_id = '{run}' WHERE shop_domain = '{Shop}' AND order_id = 2;
            """);
        var facts = await star.Refresh(Shop, from, to, CancellationToken.None, changedBy: run);
        var changed = await Query<string>(Facts);

        Assert.Equal(untouched, await Query<string>("SELECT xmin::text FROM transform.fact_order_line WHERE line_item_id = 61"));
        Assert.NotEqual(before, changed);
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.fact_order_line WHERE line_item_id = 51"));
        Assert.Equal(facts, await star.Refresh(Shop, from, to, CancellationToken.None));
        Assert.Equal(changed, await Query<string>(Facts));
        Assert.NotEqual(untouched, await Query<string>("SELECT xmin::text FROM transform.fact_order_line WHERE line_item_id = 61"));
    }

    [Fact]
    public async Task A_line_whose_reporting_day_moved_replaces_its_fact_outside_the_range_refreshed()
    {
        await RefreshStar(new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14));
        Assert.Equal(20261114L, await Scalar("SELECT date_key FROM transform.fact_order_line WHERE line_item_id = 51"));

        // #5 was created 2026-11-14T23:30Z: in Paris (UTC+1) it is a sale of 11-15, a day the first refresh did not cover.
        await new StarSchemaRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options("Europe/Paris")))
            .Refresh(Shop, new DateOnly(2026, 11, 15), new DateOnly(2026, 11, 15), CancellationToken.None);

        Assert.Equal(20261115L, await Scalar("SELECT date_key FROM transform.fact_order_line WHERE line_item_id = 51"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.fact_order_line WHERE line_item_id = 51"));
    }

    [Fact]
    public async Task Lines_without_a_variant_share_one_member_that_names_no_product()
    {
        var golden = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden_shop.jsonl"));
        var order9 = golden.Single(l => l.Contains("\"id\":\"gid://shopify/Order/9\""));
        var line91 = golden.Single(l => l.Contains("\"id\":\"gid://shopify/LineItem/91\""));
        const string variant = "\"variant\":{\"id\":\"gid://shopify/ProductVariant/104\"}";
        // #20 has a custom line of product 2 without a variant, #21 one with neither, on the day of #9.
        string[] extra =
        [
            order9.Replace("Order/9", "Order/20").Replace("\"#9\"", "\"#20\"").Replace("Fulfillment/89", "Fulfillment/2089"),
            line91.Replace("LineItem/91", "LineItem/201").Replace("Order/9", "Order/20").Replace(variant, "\"variant\":null").Replace("Product 2", "Gift wrap"),
            order9.Replace("Order/9", "Order/21").Replace("\"#9\"", "\"#21\"").Replace("Fulfillment/89", "Fulfillment/2189"),
            line91.Replace("LineItem/91", "LineItem/211").Replace("Order/9", "Order/21").Replace(variant, "\"variant\":null")
                .Replace("\"product\":{\"id\":\"gid://shopify/Product/2\"}", "\"product\":null").Replace("Product 2", "Engraving"),
        ];
        var loader = TransformDatabase.Loader(_dataSource);
        await loader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', extra))), Shop, Guid.NewGuid(), "custom-lines",
            CancellationToken.None);
        await RefreshStar(new DateOnly(2026, 8, 21), new DateOnly(2026, 8, 21));

        Assert.Equal("none|Lines without a variant|2", await Query<string>("""
            SELECT concat_ws('|', COALESCE(p.product_id::text, 'none'), p.product_title, count(*))
            FROM transform.fact_order_line f JOIN transform.dim_product p USING (product_key)
            WHERE f.line_item_id IN (201, 211) GROUP BY p.product_id, p.product_title
            """));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly TimeProvider MorningAfter = new FixedClock(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

    private async Task RefreshStar(DateOnly from, DateOnly to) =>
        await new StarSchemaRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options())).Refresh(Shop, from, to, CancellationToken.None);

    [Fact]
    public async Task Usage_is_every_day_from_the_first_order_to_yesterday_with_zeros_and_continues_from_the_last_day()
    {
        var usage = new UsageDailyRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(Options()), MorningAfter);
        // First counted order #9 on 08-21; yesterday is 11-20: 11 + 30 + 31 + 20 = 92 days, one row each.
        Assert.Equal(92L, await usage.Refresh(null, null, null, CancellationToken.None));
        // Orders: every one but the test order #4, cancelled #3 included (the integration handled it): 8, on 6 days.
        Assert.Equal("92,8,86", await Query<string>(
            "SELECT concat_ws(',', count(*), sum(orders), count(*) FILTER (WHERE orders = 0)) FROM transform.integration_usage_daily"));
        Assert.Equal(2L, await Scalar("SELECT orders FROM transform.integration_usage_daily WHERE date = '2026-11-10'"));
        Assert.Equal(1L, await Scalar("SELECT orders FROM transform.integration_usage_daily WHERE date = '2026-11-11'"));
        // The next run continues after 11-20: nothing to add yet.
        Assert.Equal(0L, await usage.Refresh(null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Rolling_30_days_per_channel_and_in_all()
    {
        await RefreshStar(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 20));
        var rolling = new Rolling30dRefresher(_dataSource, MorningAfter);
        await rolling.Refresh(CancellationToken.None);
        // Window 10-22 to 11-20: #1 60.08, #2 54.00, #5 37.40, #6 10.01 (#7 on 10-21 is just outside) = 161.49;
        // customers 1, 2, 3; units 3 + 4 + 2 + 1 = 10; all on the web channel.
        Assert.Equal("2026-10-22,2026-11-20,4,16149,3,10", await Query<string>(
            "SELECT concat_ws(',', window_start, window_end, orders, revenue_minor, customers, units) FROM transform.rolling_30d_stats WHERE channel = '*'"));
        Assert.Equal(16149L, await Scalar("SELECT revenue_minor FROM transform.rolling_30d_stats WHERE channel = 'web'"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.rolling_30d_stats"));
        await rolling.Refresh(CancellationToken.None);
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.rolling_30d_stats"));
    }

    [Fact]
    public async Task Product_measurements_of_7_and_30_days_in_the_database_and_the_object_store()
    {
        await RefreshStar(new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 20));
        var bucket = LocalInfrastructure.NewBucketName("golden");
        var store = new GrowthOs.ServiceDefaults.Storage.ObjectStore(LocalInfrastructure.S3Client(),
            Microsoft.Extensions.Options.Options.Create(
                new GrowthOs.ServiceDefaults.Storage.S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = bucket }));
        await store.EnsureBucket(CancellationToken.None);
        var measure = new MeasurementRefresher(_dataSource, store);
        var day = new DateOnly(2026, 11, 15);
        Assert.Equal(2L, await measure.Refresh(Shop, day, CancellationToken.None));
        Assert.Equal(2L, await measure.Refresh(Shop, day, CancellationToken.None));

        // 7 days 11-08..11-14. Product 1: #1 20.00×2 − 4.00 = 36.00 and 15.00, #2 20.00, #5 15.00×2 = 30.00: 6 units, 101.00.
        // Product 2: #2 10.00×3 = 30.00, #6 10.01: 4 units, 40.01. 30 days 10-16..11-14 add #7's 25.00 to product 2: 5 units, 65.01.
        Assert.Equal("6,10100,6,10100|4,4001,5,6501", await Query<string>("""
            SELECT string_agg(concat_ws(',', units_7d, revenue_7d_minor, units_30d, revenue_30d_minor), '|' ORDER BY product_id)
            FROM measurement.sales WHERE measured_on = '2026-11-15'
            """));
        // Shares of 166.01: 101.00 → 0.6084, 65.01 → 0.3916; nothing sold 11-01..11-07, so no growth figure.
        Assert.Equal("1,0.6084,|2,0.3916,", await Query<string>("""
            SELECT string_agg(concat_ws(',', revenue_rank_30d, revenue_share_30d, coalesce(growth_7d::text, '')), '|' ORDER BY product_id)
            FROM measurement.performance WHERE measured_on = '2026-11-15'
            """));
        var exported = await LocalInfrastructure.ReadObject(bucket, MeasurementRefresher.KeyOf("sales", Shop, day));
        Assert.Equal(2, exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("\"revenue_30d_minor\":6501", exported);
        Assert.Equal("measurement/performance/golden.myshopify.com/2026/11/15.jsonl", MeasurementRefresher.KeyOf("performance", Shop, day));
    }

    [Fact]
    public async Task Marts_upset_by_another_runs_orders_are_refreshed_and_checked_again()
    {
        var options = Microsoft.Extensions.Options.Options.Create(Options());
        var store = new GrowthOs.ServiceDefaults.Storage.ObjectStore(LocalInfrastructure.S3Client(),
            Microsoft.Extensions.Options.Options.Create(
                new GrowthOs.ServiceDefaults.Storage.S3Options { ServiceUrl = LocalInfrastructure.S3ServiceUrl, Bucket = "unused" }));
        var pipelines = new GrowthOs.Transform.Marts.PipelineRunner(new GrowthOs.Transform.Marts.EtlExecutionLog(_dataSource, TimeProvider.System),
            new DailySalesRefresher(_dataSource, options), new StarSchemaRefresher(_dataSource, options), new InventorySnapshotRefresher(_dataSource, options),
            new CustomerSegmentRefresher(_dataSource, options), new UsageDailyRefresher(_dataSource, options, TimeProvider.System),
            new Rolling30dRefresher(_dataSource, TimeProvider.System), new MeasurementRefresher(_dataSource, store),
            new GrowthOs.Transform.Marts.DataQualityRunner(_dataSource, options, TimeProvider.System), _dataSource, options, TimeProvider.System,
            NullLogger<GrowthOs.Transform.Marts.PipelineRunner>.Instance);
        var (from, to) = (new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 14));
        await pipelines.SalesPulse(null, Shop, from, to, CancellationToken.None);
        await pipelines.StarSchema(null, Shop, from, to, CancellationToken.None);

        // Another run commits an order of 11-12 after this run refreshed that day.
        await Execute("""
            INSERT INTO transform.order_header (shop_domain, order_id, name, created_at, updated_at, is_test, currency_code, presentment_currency_code,
                subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor, total_refunded_minor, total_presentment_minor,
                source_run_id)
            VALUES ('golden.myshopify.com', 99, '#99', '2026-11-12T12:00:00Z', '2026-11-12T12:00:00Z', false, 'USD', 'USD', 500, 500, 0, 0, 0, 0, 500,
                gen_random_uuid())
            """);
        var outcomes = await pipelines.CheckedDataQuality(null, Shop, from, to, CancellationToken.None);

        Assert.All(outcomes.Where(o => o.Severity == GrowthOs.Transform.Marts.Severity.Critical), o => Assert.True(o.Passed, $"{o.Check}: {o.Violations}"));
        Assert.Equal(500L, await Scalar("SELECT revenue_minor FROM transform.sales_metrics_daily WHERE date = '2026-11-12'"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.data_quality_result WHERE check_name = 'daily_sales_match_their_orders'"));
    }

    private async Task Execute(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> Scalar(string sql) => Convert.ToInt64(await Query<object>(sql));

    private async Task<T> Query<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
