using GrowthOs.Testing;
using GrowthOs.Transform.Api;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>
/// Inventory alerts against fulfillment held against figures worked out by hand, UTC days, the clock at 15 June 2026 12:00.
/// The latest snapshot (15 June) has variant 501 out of stock, 502 low and 503 in stock; the one of 10 June had 503 low and
/// 501 in stock. Ten orders:
/// <list type="bullet">
/// <item>1: 10 June 10:00, 2 × 501, unfulfilled: waits 122 h for 501; late, and on its day 501 was in stock.</item>
/// <item>2: 12 June 09:00, 501 and 503, partially fulfilled 11 h later: waits 75 h for 501; not late.</item>
/// <item>3: 10 June 08:00, 503, fulfilled 72 h later: late, and 503 was low on its day.</item>
/// <item>4: 13 June 12:00, 3 × 502, unfulfilled: waits 48 h for 502; not late at 48 h (late is beyond it).</item>
/// <item>5 (cancelled) and 6 (a test): nowhere.</item>
/// <item>7: 9 June 10:00, 503, fulfilled 2 h later.</item>
/// <item>8: 1 May, 501, unfulfilled: older than the 30 days an order waits in, and before the period.</item>
/// <item>9: 14 June 10:00, 501 removed from it (0 left) and 503, unfulfilled: waits for nothing in alert; 26 h old.</item>
/// <item>10: 12 June 10:00, 502, fulfilled 73 h later: late; no snapshot of its day, so the latest's (502 low) counts.</item>
/// </list>
/// </summary>
public sealed class FulfillmentGoldenTests : IAsyncLifetime
{
    private const string Shop = "fulfillment-golden.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_fulfillment");
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO transform.order_header (shop_domain, order_id, name, created_at, updated_at, cancelled_at, is_test, fulfillment_status, currency_code,
                presentment_currency_code, subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor,
                total_refunded_minor, total_presentment_minor, source_run_id)
            SELECT @shop, o.id, '#' || (1000 + o.id), o.at::timestamptz, o.at::timestamptz, CASE WHEN o.cancelled THEN o.at::timestamptz END, o.test,
                   o.status, 'USD', 'USD', 1000, 1000, 0, 0, 0, 0, 1000, gen_random_uuid()
            FROM (VALUES (1, '2026-06-10T10:00:00Z', false, false, 'UNFULFILLED'), (2, '2026-06-12T09:00:00Z', false, false, 'PARTIALLY_FULFILLED'),
                         (3, '2026-06-10T08:00:00Z', false, false, 'FULFILLED'), (4, '2026-06-13T12:00:00Z', false, false, 'UNFULFILLED'),
                         (5, '2026-06-11T12:00:00Z', true, false, 'UNFULFILLED'), (6, '2026-06-11T13:00:00Z', false, true, 'UNFULFILLED'),
                         (7, '2026-06-09T10:00:00Z', false, false, 'FULFILLED'), (8, '2026-05-01T10:00:00Z', false, false, 'UNFULFILLED'),
                         (9, '2026-06-14T10:00:00Z', false, false, 'UNFULFILLED'), (10, '2026-06-12T10:00:00Z', false, false, 'FULFILLED'))
                 AS o(id, at, cancelled, test, status);
            INSERT INTO transform.order_line_item (shop_domain, line_item_id, order_id, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, product_id, variant_id, source_run_id)
            SELECT @shop, l.id, l.order_id, 'Item', l.quantity, l.current, 500, 0, 'USD', 50, l.variant, gen_random_uuid()
            FROM (VALUES (11, 1, 2, 2, 501), (21, 2, 1, 1, 501), (22, 2, 1, 1, 503), (31, 3, 1, 1, 503), (41, 4, 3, 3, 502), (51, 5, 1, 1, 502),
                         (61, 6, 1, 1, 501), (71, 7, 1, 1, 503), (81, 8, 1, 1, 501), (91, 9, 1, 0, 501), (92, 9, 1, 1, 503), (101, 10, 1, 1, 502))
                 AS l(id, order_id, quantity, current, variant);
            INSERT INTO transform.order_fulfillment (shop_domain, fulfillment_id, order_id, status, created_at, order_updated_at, source_run_id)
            SELECT @shop, f.id, f.order_id, 'SUCCESS', f.at::timestamptz, f.at::timestamptz, gen_random_uuid()
            FROM (VALUES (201, 2, '2026-06-12T20:00:00Z'), (301, 3, '2026-06-13T08:00:00Z'), (701, 7, '2026-06-09T12:00:00Z'),
                         (1001, 10, '2026-06-15T11:00:00Z')) AS f(id, order_id, at);
            INSERT INTO transform.inventory_snapshots (shop_domain, snapshot_date, variant_id, product_id, sku, product_title, variant_title,
                quantity_available, locations, units_sold_30d, daily_velocity, days_of_cover, stock_status, velocity_tier)
            SELECT @shop, s.d::date, s.variant, 50, 'SKU-' || s.variant, 'Lamp', 'V' || s.variant, s.available, 1, 30, 1, s.cover, s.status, 'fast'
            FROM (VALUES ('2026-06-15', 501, 0, 0.0, 'out_of_stock'), ('2026-06-15', 502, 5, 5.0, 'low_stock'), ('2026-06-15', 503, 40, 40.0, 'in_stock'),
                         ('2026-06-10', 501, 30, 30.0, 'in_stock'), ('2026-06-10', 503, 4, 4.0, 'low_stock'))
                 AS s(d, variant, available, cover, status);
            """);
        command.Parameters.AddWithValue("shop", Shop);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private Task<InventoryFulfillmentReport> Read(int lateHours = 48) =>
        FulfillmentReader.Read(_dataSource, Shop, "UTC", new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14), Now, lateHours, 30, CancellationToken.None);

    [Fact]
    public async Task Each_variant_in_alert_has_the_orders_waiting_for_it_the_longest_first()
    {
        var report = await Read();
        Assert.Equal(new DateOnly(2026, 6, 15), report.SnapshotDate);
        Assert.Equal([(501L, "out_of_stock", 2, 3L, 122.0m), (502L, "low_stock", 1, 3L, 48.0m)],
            report.Variants.Select(v => (v.VariantId, v.StockStatus, v.WaitingOrders, v.WaitingUnits, v.LongestWaitHours!.Value)));
        Assert.Equal([("#1001", 122.0m, 2L), ("#1002", 75.0m, 1L)], report.Variants[0].Orders.Select(o => (o.Name, o.WaitedHours, o.Units)));
        Assert.Equal([4L], report.Variants[1].Orders.Select(o => o.OrderId));
    }

    [Fact]
    public async Task Each_day_has_its_late_fulfillments_and_the_share_holding_a_variant_in_alert_that_day()
    {
        var report = await Read();
        Assert.Equal(
            [("2026-06-08", 0L, 0L, 0L, (decimal?)null), ("2026-06-09", 1, 0, 0, null), ("2026-06-10", 2, 2, 1, 0.5m), ("2026-06-11", 0, 0, 0, null),
             ("2026-06-12", 2, 1, 1, 1m), ("2026-06-13", 1, 0, 0, null), ("2026-06-14", 1, 0, 0, null)],
            report.Days.Select(d => ($"{d.Date:yyyy-MM-dd}", d.Orders, d.Late, d.LateWithVariantInAlert, d.ShareWithVariantInAlert)));
        Assert.Equal((7L, 3L, 2L, 0.6667m), (report.Totals.Orders, report.Totals.Late, report.Totals.LateWithVariantInAlert,
            report.Totals.ShareWithVariantInAlert!.Value));

        // Late after 24 h: order 4 (48 h, its 502 low in the latest snapshot) and order 9 (26 h, nothing in alert left in it) too.
        var sooner = await Read(lateHours: 24);
        Assert.Equal((5L, 3L, 0.6m), (sooner.Totals.Late, sooner.Totals.LateWithVariantInAlert, sooner.Totals.ShareWithVariantInAlert!.Value));
    }
}
