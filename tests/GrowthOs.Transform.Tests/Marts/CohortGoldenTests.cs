using GrowthOs.Testing;
using GrowthOs.Transform.Api;
using GrowthOs.Transform.Marts;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// Cohorts held against figures worked out by hand: two January customers (one back in February, then refunded in March),
/// two February ones (one back in May), a customer whose first order was in December (no cohort of the range), a guest,
/// and a test order before a customer's real first. UTC days, USD, the shop's today 15 June 2026.
/// </summary>
public sealed class CohortGoldenTests : IAsyncLifetime
{
    private const string Shop = "cohort-golden.myshopify.com";
    private static readonly DateOnly Today = new(2026, 6, 15);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_cohort");
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO transform.order_header (shop_domain, order_id, name, created_at, updated_at, is_test, source_name, currency_code,
                presentment_currency_code, subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor,
                total_refunded_minor, total_presentment_minor, customer_id, source_run_id)
            SELECT @shop, o.id, '#' || o.id, o.at::timestamptz, o.at::timestamptz, o.test, o.channel, 'USD', 'USD', o.total, o.total, 0, 0, 0, 0, o.total,
                   o.customer, gen_random_uuid()
            FROM (VALUES (11, '2026-01-10T10:00:00Z', false, 'web', 2000, 1), (12, '2026-02-20T10:00:00Z', false, 'web', 1000, 1),
                         (21, '2026-01-25T10:00:00Z', false, 'pos', 3000, 2),
                         (31, '2025-12-30T10:00:00Z', false, 'web', 700, 3), (32, '2026-01-15T10:00:00Z', false, 'web', 700, 3),
                         (41, '2026-02-03T10:00:00Z', false, 'web', 1500, 4), (42, '2026-05-01T10:00:00Z', false, 'web', 1000, 4),
                         (51, '2026-01-12T10:00:00Z', false, 'web', 900, NULL),
                         (61, '2026-01-05T10:00:00Z', true, 'web', 800, 5), (62, '2026-02-10T10:00:00Z', false, 'web', 500, 5))
                 AS o(id, at, test, channel, total, customer);
            -- Variant 201 (product 20) costs 4.00; 202 (product 21) and 203 (product 22) have no known cost.
            INSERT INTO transform.order_line_item (shop_domain, line_item_id, order_id, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, product_id, variant_id, source_run_id)
            SELECT @shop, l.id, l.order_id, 'Item', l.quantity, l.quantity, l.price, 0, 'USD', l.product, l.variant, gen_random_uuid()
            FROM (VALUES (111, 11, 2, 1000, 20, 201), (121, 12, 1, 1000, 20, 201), (211, 21, 1, 3000, 21, 202), (311, 31, 1, 700, 20, 201),
                         (321, 32, 1, 700, 20, 201), (411, 41, 1, 1500, 20, 201), (421, 42, 1, 1000, 20, 201), (511, 51, 1, 900, 20, 201),
                         (611, 61, 1, 800, 22, 203), (621, 62, 1, 500, 22, 203))
                 AS l(id, order_id, quantity, price, product, variant);
            -- Customer 1's first order came with WELCOME10, customer 4's second with it too, customer 5's first with SAVE10.
            UPDATE transform.order_header SET discount_codes = '{WELCOME10}' WHERE shop_domain = @shop AND order_id IN (11, 42);
            UPDATE transform.order_header SET discount_codes = '{SAVE10}' WHERE shop_domain = @shop AND order_id = 62;
            INSERT INTO transform.variant_cost (shop_domain, variant_id, source, effective_from, unit_cost_minor, currency_code)
            VALUES (@shop, 201, 'shopify', '2025-12-01', 400, 'USD');
            INSERT INTO transform.order_refund (shop_domain, refund_id, order_id, created_at, amount_minor, currency_code, order_updated_at, source_run_id)
            VALUES (@shop, 91, 12, '2026-03-05T09:00:00Z', 500, 'USD', '2026-03-05T09:00:00Z', gen_random_uuid());
            -- Ad spend: 30.00 in January, 10.00 in February.
            INSERT INTO transform.marketing_daily (shop_domain, date, currency_code, meta_spend_minor, google_spend_minor, spend_minor, meta_impressions,
                google_impressions, impressions, meta_clicks, google_clicks, clicks, meta_conversions, meta_conversion_value_minor, google_conversions,
                google_conversion_value_minor, sessions, users, key_events, ga4_revenue_minor, not_comparable_rows)
            SELECT @shop, d::date, 'USD', s, 0, s, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM (VALUES ('2026-01-05', 1000), ('2026-01-20', 2000), ('2026-02-14', 1000)) AS m(d, s);
            """);
        command.Parameters.AddWithValue("shop", Shop);
        await command.ExecuteNonQueryAsync();
        await Refresh(new DateOnly(2025, 12, 1), Today);
    }

    /// <summary>The marts of those reporting days, as a sync's refresh makes them (the cohorts' among them).</summary>
    private Task Refresh(DateOnly from, DateOnly to) =>
        new DailySalesRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(new MartsOptions())).Refresh(Shop, from, to, CancellationToken.None);

    private async Task Execute(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("shop", Shop);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<IReadOnlyList<Cohort>> Read(string by = "none", string? channel = null, long? product = null, string? code = null) =>
        CohortReader.Read(_dataSource, Shop, new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 28), Today, by, channel, product,
            CancellationToken.None, code);

    private static string Months(Cohort cohort) =>
        string.Join(' ', cohort.Months.Select(m => m.RevenuePerCustomerMinor is null ? "-" : $"{m.RevenuePerCustomerMinor}/{m.GrossProfitPerCustomerMinor}"));

    private static string Windows(Cohort cohort) =>
        string.Join(' ', cohort.Windows.Select(w => w.RevenuePerCustomerMinor is null ? "-" : $"{w.RevenuePerCustomerMinor}/{w.GrossProfitPerCustomerMinor}"));

    [Fact]
    public async Task Each_month_of_first_orders_is_a_cohort_with_its_value_per_customer_by_month_and_by_day()
    {
        var cohorts = await Read();
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)], cohorts.Select(c => c.Month));
        var (january, february) = (cohorts[0], cohorts[1]);

        // January: customers 1 and 2 (customer 3 first ordered in December; the guest is no one's). Customer 1: 2 × 10.00 less
        // 2 × 4.00 of cost on 10 January, 10.00 (cost 4.00) on 20 February, 5.00 refunded on 5 March; customer 2: 30.00 of a
        // variant without a known cost. Per customer, cumulative: month 0 (2,000 + 3,000) / 2 = 2,500 net and (1,200 + 3,000) / 2
        // = 2,100 gross profit; month 1 + 1,000 and + 600: 3,000 / 2,400; month 2 − 500: 2,750 / 2,150; then unchanged to May; June
        // has not ended on 15 June.
        Assert.Equal((2L, 2L, 3000L, 1500L), (january.Customers, january.NewCustomersOfMonth, january.AdSpendMinor, january.CacMinor));
        Assert.Equal("2500/2100 3000/2400 2750/2150 2750/2150 2750/2150 - - - - - - - -", Months(january));
        // By days since the first order (every January member's window ended once 31 January is that far back): 30 days hold
        // the first orders; 60 and 90 the February order (day 41) and the refund (day 54); 180 days end on 30 July.
        Assert.Equal("2500/2100 2750/2150 2750/2150 - -", Windows(january));
        // Repeat rate: customer 1 came back on day 41 of 90: 1 of 2. CAC 3,000 / 2 = 1,500; LTV:CAC at 90 days 2,150 / 1,500;
        // month 0's 2,100 of gross profit per customer already covers it.
        Assert.Equal((0.5m, 1.4333m, (decimal?)null, 0, true),
            (january.RepeatRate90d, january.LtvToCac90d, january.LtvToCac365d, january.PaybackMonth, january.Maturing));

        // February: customers 4 and 5 (5's test order in January does not count). 15.00 (cost 4.00) and 5.00 (no cost) in
        // February; customer 4 back on 1 May (day 87) with 10.00 (cost 4.00). Month 0: 2,000 / 2 and 1,600 / 2; month 3 (May):
        // + 1,000 and + 600: 1,500 / 1,100. CAC 1,000 / 2 = 500; LTV:CAC at 90 days 1,100 / 500.
        Assert.Equal((2L, 500L), (february.Customers, february.CacMinor));
        Assert.Equal("1000/800 1000/800 1000/800 1500/1100 - - - - - - - - -", Months(february));
        Assert.Equal("1000/800 1000/800 1500/1100 - -", Windows(february));
        Assert.Equal((0.5m, 2.2m, 0), (february.RepeatRate90d, february.LtvToCac90d, february.PaybackMonth));
    }

    [Fact]
    public async Task Cohorts_split_by_the_first_orders_channel_and_filter_by_its_channel_product_and_discount_code()
    {
        var split = await Read(by: "channel");
        Assert.Equal(["2026-01-01 pos 1", "2026-01-01 web 1", "2026-02-01 web 2"],
            split.Select(c => $"{c.Month:yyyy-MM-dd} {c.Segment} {c.Customers}"));
        // The CAC stays the month's: ad spend is not attributed to a channel.
        Assert.All(split.Where(c => c.Month.Month == 1), c => Assert.Equal((2L, 1500L), (c.NewCustomersOfMonth, c.CacMinor)));
        Assert.Equal("3000/3000", Months(split[0]).Split(' ')[0]);

        var pos = Assert.Single(await Read(channel: "pos"));
        Assert.Equal((new DateOnly(2026, 1, 1), 1L, (string?)null), (pos.Month, pos.Customers, pos.Segment));
        // Product 22 was in customer 5's first order (its test order's does not count); product 20 in customers 1's and 4's.
        Assert.Equal(["2026-02-01 1"], (await Read(product: 22)).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        Assert.Equal(["2026-01-01 1", "2026-02-01 1"], (await Read(product: 20)).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        // WELCOME10 (in any case) was on customer 1's first order; on customer 4's second, which does not count.
        Assert.Equal(["2026-01-01 1"], (await Read(code: "welcome10")).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        Assert.Equal(["2026-02-01 1"], (await Read(code: "SAVE10")).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
    }

    [Fact]
    public async Task A_refresh_of_the_days_an_order_changed_on_moves_its_customer_to_the_cohort_of_its_first_order_left()
    {
        // Customer 1's first order (10 January) is cancelled: only that day is refreshed, as a sync that read the order again
        // would. Its first counted order is now 20 February's, so it leaves January for February, where its 5.00 refund in
        // March falls in month 1.
        await Execute("UPDATE transform.order_header SET cancelled_at = '2026-03-01T00:00:00Z' WHERE shop_domain = @shop AND order_id = 11");
        await Refresh(new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 10));
        var cohorts = await Read();
        Assert.Equal(["2026-01-01 1", "2026-02-01 3"], cohorts.Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        // January is customer 2 alone: 30.00 of a variant without a known cost, never back.
        Assert.Equal("3000/3000 3000/3000 3000/3000 3000/3000 3000/3000 - - - - - - - -", Months(cohorts[0]));
        Assert.Equal(0m, cohorts[0].RepeatRate90d);
        // February: customers 1, 4 and 5. Month 0: 1,000 + 1,500 + 500 net = 1,000 each, 600 + 1,100 + 500 = 2,200 of gross profit;
        // month 1: − 500 of customer 1's refund: 2,500 / 3 and 1,700 / 3.
        Assert.Equal(["1000/733", "833/567"], Months(cohorts[1]).Split(' ').Take(2));

        // The order is restored: a refresh of an unrelated day changes nothing, the refresh of its own puts customer 1 back.
        await Execute("UPDATE transform.order_header SET cancelled_at = NULL WHERE shop_domain = @shop AND order_id = 11");
        await Refresh(new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 1));
        Assert.Equal(["2026-01-01 1", "2026-02-01 3"], (await Read()).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        await Refresh(new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 10));
        Assert.Equal(["2026-01-01 2", "2026-02-01 2"], (await Read()).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        Assert.Equal("2500/2100 3000/2400 2750/2150 2750/2150 2750/2150 - - - - - - - -", Months((await Read())[0]));
    }

    [Fact]
    public async Task A_shop_loaded_before_the_customer_mart_has_its_whole_history_built_by_its_next_refresh()
    {
        // As after an upgrade: the orders are there, the mart is not. A refresh of one day of June builds it from December on.
        await Execute("""
            DELETE FROM transform.customer_daily WHERE shop_domain = @shop; DELETE FROM transform.customer_cohort WHERE shop_domain = @shop;
            DELETE FROM transform.customer_mart WHERE shop_domain = @shop
            """);
        Assert.Empty(await Read());
        await Refresh(new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1));
        Assert.Equal(["2026-01-01 2", "2026-02-01 2"], (await Read()).Select(c => $"{c.Month:yyyy-MM-dd} {c.Customers}"));
        Assert.Equal("2500/2100 3000/2400 2750/2150 2750/2150 2750/2150 - - - - - - - -", Months((await Read())[0]));
    }
}
