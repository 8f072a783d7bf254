using GrowthOs.Testing;
using GrowthOs.Transform.Marts;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// profit_daily held against figures worked out by hand: two counted orders, a test order, a refund, a variant with no
/// known cost, and a variant whose cost was seen from Shopify and then overridden by an operator. UTC days, USD.
/// </summary>
public sealed class ProfitGoldenTests : IAsyncLifetime
{
    private const string Shop = "profit-golden.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_profit");
        await using var command = _dataSource.CreateCommand("""
            -- Customer 7 orders for the first time on 10 March (#1) and again on 12 March (#2); customer 8 first ordered in
            -- February (#0) and again on 13 March (#5); #4 is a guest's; #3 a test order.
            INSERT INTO transform.order_header (shop_domain, order_id, name, created_at, updated_at, is_test, currency_code, presentment_currency_code,
                subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor, total_refunded_minor, total_presentment_minor,
                customer_id, source_run_id)
            VALUES (@shop, 1, '#1', '2026-03-10T10:00:00Z', '2026-03-10T10:00:00Z', false, 'USD', 'USD', 2300, 2300, 200, 0, 0, 0, 2300, 7, gen_random_uuid()),
                   (@shop, 2, '#2', '2026-03-12T10:00:00Z', '2026-03-13T09:00:00Z', false, 'USD', 'USD', 3000, 3000, 0, 0, 0, 1000, 3000, 7, gen_random_uuid()),
                   (@shop, 3, '#3', '2026-03-12T11:00:00Z', '2026-03-12T11:00:00Z', true, 'USD', 'USD', 5000, 5000, 0, 0, 0, 0, 5000, 9, gen_random_uuid()),
                   (@shop, 0, '#0', '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z', false, 'USD', 'USD', 900, 900, 0, 0, 0, 0, 900, 8, gen_random_uuid()),
                   (@shop, 4, '#4', '2026-03-12T12:00:00Z', '2026-03-12T12:00:00Z', false, 'USD', 'USD', 800, 800, 0, 0, 0, 0, 800, NULL, gen_random_uuid()),
                   (@shop, 5, '#5', '2026-03-13T12:00:00Z', '2026-03-13T12:00:00Z', false, 'USD', 'USD', 600, 600, 0, 0, 0, 0, 600, 8, gen_random_uuid());
            INSERT INTO transform.order_line_item (shop_domain, line_item_id, order_id, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, variant_id, source_run_id)
            VALUES (@shop, 11, 1, 'Clamp', 2, 2, 1000, 200, 'USD', 101, gen_random_uuid()),
                   (@shop, 12, 1, 'Strap', 1, 1, 500, 0, 'USD', 102, gen_random_uuid()),
                   (@shop, 21, 2, 'Clamp', 3, 2, 1000, 0, 'USD', 101, gen_random_uuid()),
                   (@shop, 31, 3, 'Clamp', 5, 5, 1000, 0, 'USD', 101, gen_random_uuid());
            INSERT INTO transform.order_refund (shop_domain, refund_id, order_id, created_at, amount_minor, currency_code, order_updated_at, source_run_id)
            VALUES (@shop, 91, 2, '2026-03-13T09:00:00Z', 1000, 'USD', '2026-03-13T09:00:00Z', gen_random_uuid());
            -- The clamp's cost: 4.00 seen from Shopify on 11 March, overridden to 3.50 from 12 March. The strap's is not known.
            INSERT INTO transform.variant_cost (shop_domain, variant_id, source, effective_from, unit_cost_minor, currency_code)
            VALUES (@shop, 101, 'shopify', '2026-03-11', 400, 'USD'), (@shop, 101, 'override', '2026-03-12', 350, 'USD');
            -- Shopify reports the fees of #1 (0.97) and #5 (0.47); #2 and the guest's #4 went through a gateway whose fees it
            -- does not know.
            UPDATE transform.order_header SET payment_fees_minor = 97 WHERE shop_domain = @shop AND order_id = 1;
            UPDATE transform.order_header SET payment_fees_minor = 47 WHERE shop_domain = @shop AND order_id = 5;
            -- The shop's cost rules. The EUR one is in another currency than the shop's and is never applied.
            INSERT INTO transform.cost_rule (shop_domain, kind, name, currency_code, amount_minor, rate, effective_from, effective_to)
            VALUES (@shop, 'shipping_per_order', 'Carrier', 'USD', 450, 0, '2026-03-11', '2026-03-12'),
                   (@shop, 'shipping_per_unit', 'Packing', 'USD', 100, 0, '2026-03-10', NULL),
                   (@shop, 'shipping_revenue_share', 'Carrier by value', 'USD', 0, 0.015, '2026-03-13', NULL),
                   (@shop, 'payment_fee', 'Gateway', 'USD', 30, 0.029, '2026-03-01', NULL),
                   (@shop, 'payment_fee', 'Old gateway', 'EUR', 30, 0.5, '2026-03-01', NULL),
                   (@shop, 'fixed_monthly', 'Rent', 'USD', 10000, 0, '2026-03-01', NULL),
                   (@shop, 'fixed_monthly', 'Old software', 'USD', 3100, 0, '2026-02-01', '2026-03-11');
            -- 5.00 of ad spend on 12 March (a EUR account's row left out of the sum as not comparable).
            INSERT INTO transform.marketing_daily (shop_domain, date, currency_code, meta_spend_minor, google_spend_minor, spend_minor, meta_impressions,
                google_impressions, impressions, meta_clicks, google_clicks, clicks, meta_conversions, meta_conversion_value_minor, google_conversions,
                google_conversion_value_minor, sessions, users, key_events, ga4_revenue_minor, not_comparable_rows)
            VALUES (@shop, '2026-03-12', 'USD', 500, 0, 500, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
            """);
        command.Parameters.AddWithValue("shop", Shop);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Each_day_keeps_its_net_sales_its_known_cost_of_goods_and_what_of_it_is_known()
    {
        await new DailySalesRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(new MartsOptions()))
            .Refresh(Shop, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 13), CancellationToken.None);

        var days = new Dictionary<string, string>();
        await using var command = _dataSource.CreateCommand("""
            SELECT to_char(date, 'MM-DD'), concat_ws(' ', net_sales_minor, line_net_minor, costed_line_net_minor, cogs_minor, lines, lines_without_cost,
                       '|', first_orders, first_revenue_minor, repeat_orders, repeat_revenue_minor, guest_orders, guest_revenue_minor,
                       '|', orders, units, revenue_minor, shopify_fees_minor, orders_without_fees, revenue_without_fees_minor)
            FROM transform.profit_daily WHERE shop_domain = @shop ORDER BY date
            """);
        command.Parameters.AddWithValue("shop", Shop);
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) days[reader.GetString(0)] = reader.GetString(1);

        // 10 March, order #1: net sales 2,000 − 200 (discount) + 500 = 2,300; the clamp's line (1,800) has a cost: none is
        // in effect yet, so the earliest known, 400 × 2 kept = 800; the strap's (500) has none: 1,800 of 2,300 costed.
        // Its customer's first order: 1 first order of 2,300. One order of 3 units and 2,300, whose 97 of fees Shopify reports.
        Assert.Equal("2300 2300 1800 800 2 1 | 1 2300 0 0 0 0 | 1 3 2300 97 0 0", days["03-10"]);
        // 11 March: nothing sold.
        Assert.Equal("0 0 0 0 0 0 | 0 0 0 0 0 0 | 0 0 0 0 0 0", days["03-11"]);
        // 12 March, order #2 (the test order #3 left out): 3 × 1,000; the override in effect, 350 × 2 units kept = 700.
        // The guest's #4 (800, no lines) is neither new nor returning; #2 is customer 7's second order: a repeat of 3,000.
        // Two orders (#2 and #4) of 3 units and 3,000 + 800, neither with fees from Shopify.
        Assert.Equal("3000 3000 3000 700 1 0 | 0 0 1 3000 1 800 | 2 3 3800 0 2 3800", days["03-12"]);
        // 13 March: the refund of 1,000 on its own day; no line, no cost.
        // Customer 8's #5 (600) is a repeat: its first order was in February, before the days refreshed.
        // #5: one order, no units, 600, with 47 of fees from Shopify.
        Assert.Equal("-1000 0 0 0 0 0 | 0 0 1 600 0 0 | 1 0 600 47 0 0", days["03-13"]);
    }

    [Fact]
    public async Task The_cost_rules_take_gross_profit_down_to_contribution_margin_and_net_profit_day_by_day()
    {
        await new DailySalesRefresher(_dataSource, Microsoft.Extensions.Options.Options.Create(new MartsOptions()))
            .Refresh(Shop, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 13), CancellationToken.None);

        var profit = await GrowthOs.Transform.Api.ProfitReader.Read(_dataSource, Shop, new DateOnly(2026, 3, 10), new DateOnly(2026, 3, 13),
            CancellationToken.None);
        var days = profit.Days.ToDictionary(d => d.Date.ToString("MM-dd"), d => string.Join(' ', d.NetSalesMinor, d.CogsMinor, d.GrossProfitMinor,
            d.AdSpendMinor, d.ShippingCostMinor, d.PaymentFeesMinor, d.ContributionMarginMinor, d.FixedExpensesMinor, d.NetProfitMinor));

        // Rent: 100.00 a month over March's 31 days, day d taking ⌊10,000·d/31⌋ − ⌊10,000·(d−1)/31⌋: 10 March 3,225 − 2,903 = 322,
        // 11 March 3,548 − 3,225 = 323, 12 March 3,870 − 3,548 = 322, 13 March 4,193 − 3,870 = 323. Old software: 31.00 a month
        // is 100 a day, to 11 March.
        // 10 March: shipping 3 units × 100 = 300 (the carrier's rule starts on the 11th); fees: Shopify's 97 (the rule is only
        // for orders without); contribution 2,300 − 800 − 300 − 97 = 1,103; fixed 322 + 100 = 422; net 681.
        Assert.Equal("2300 800 1500 0 300 97 1103 422 681", days["03-10"]);
        // 11 March: nothing sold, so no rule of orders applies; the fixed expenses still do: 323 + 100.
        Assert.Equal("0 0 0 0 0 0 0 423 -423", days["03-11"]);
        // 12 March: shipping 2 orders × 450 + 3 units × 100 = 1,200; fees by the rule (the EUR one is not applied): 2 × 30 +
        // 0.029 × 3,800 = 60 + 110.2 → 170; ad spend 500; contribution 3,000 − 700 − 1,200 − 170 − 500 = 430; net 430 − 322 = 108.
        Assert.Equal("3000 700 2300 500 1200 170 430 322 108", days["03-12"]);
        // 13 March: the refund's day; shipping 0.015 × 600 = 9 (no units); fees Shopify's 47; contribution −1,000 − 9 − 47 =
        // −1,056; net −1,056 − 323 = −1,379.
        Assert.Equal("-1000 0 -1000 0 9 47 -1056 323 -1379", days["03-13"]);

        var f = profit.Figures;
        Assert.Equal("USD", profit.CurrencyCode);
        // Over the four days: gross profit 4,300 − 1,500 = 2,800; shipping 1,509; fees 314 (144 from Shopify, 2 orders without);
        // contribution 2,800 − 1,509 − 314 − 500 = 477; fixed 1,490; net profit −1,013.
        Assert.Equal((2800L, 1509L, 314L, 144L, 2L, 477L, 1490L, -1013L),
            (f.GrossProfitMinor, f.ShippingCostMinor, f.PaymentFeesMinor, f.PaymentFeesFromShopifyMinor, f.OrdersWithoutShopifyFees,
                f.ContributionMarginMinor, f.FixedExpensesMinor, f.NetProfitMinor));
        // Per order: 477 over the days' counted orders, rounded to the cent.
        Assert.Equal((long)Math.Round(477m / f.Orders, MidpointRounding.AwayFromZero), f.ContributionMarginPerOrderMinor);
    }
}
