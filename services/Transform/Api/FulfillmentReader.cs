using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// Inventory alerts against fulfillment (<see cref="InventoryFulfillmentReport"/>), read from the orders, their lines and
/// fulfillments and the inventory snapshots as they are. An order waits when it is not fulfilled whole (its Shopify
/// fulfillment status is neither FULFILLED nor RESTOCKED): the line's own fulfillment is not extracted, so a partially
/// fulfilled order counts for every variant in alert it holds.
/// </summary>
public static class FulfillmentReader
{
    public const int OrdersPerVariant = 20;

    public static async Task<InventoryFulfillmentReport> Read(NpgsqlDataSource dataSource, string shop, string timeZone, DateOnly from, DateOnly to,
        DateTimeOffset now, int lateAfterHours, int waitingDays, CancellationToken cancellationToken)
    {
        var (snapshot, variants) = await Waiting(dataSource, shop, now, waitingDays, cancellationToken);
        var days = await LateDays(dataSource, shop, timeZone, from, to, now, lateAfterHours, cancellationToken);
        var (late, inAlert) = (days.Sum(d => d.Late), days.Sum(d => d.LateWithVariantInAlert));
        return new InventoryFulfillmentReport(shop, from, to, snapshot, lateAfterHours, waitingDays, now, variants, days,
            new LateFulfillmentDay(null, days.Sum(d => d.Orders), late, inAlert, Ratios.Of(inAlert, late)));
    }

    /// <summary>The latest snapshot's variants out of stock or low, each with the orders waiting that hold it.</summary>
    private static async Task<(DateOnly? Snapshot, List<VariantWaiting> Variants)> Waiting(NpgsqlDataSource dataSource, string shop, DateTimeOffset now,
        int waitingDays, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH alert AS (
                SELECT variant_id, sku, product_title, variant_title, stock_status, quantity_available, days_of_cover, snapshot_date
                FROM transform.v_inventory_alerts WHERE shop_domain = @shop AND stock_status IN ('out_of_stock', 'low_stock')
            ),
            waiting AS (
                SELECT l.variant_id, h.order_id, h.name, h.created_at, sum(l.current_quantity)::bigint AS units
                FROM transform.order_header h
                JOIN transform.order_line_item l ON l.shop_domain = h.shop_domain AND l.order_id = h.order_id
                WHERE h.shop_domain = @shop AND h.created_at >= @since AND h.created_at <= @now AND NOT h.is_test AND h.cancelled_at IS NULL
                  AND upper(COALESCE(h.fulfillment_status, 'UNFULFILLED')) NOT IN ('FULFILLED', 'RESTOCKED')
                  AND l.current_quantity > 0 AND l.variant_id IN (SELECT variant_id FROM alert)
                GROUP BY l.variant_id, h.order_id, h.name, h.created_at
            )
            SELECT a.variant_id, a.sku, a.product_title, a.variant_title, a.stock_status, a.quantity_available, a.days_of_cover, a.snapshot_date,
                   w.order_id, w.name, w.created_at, w.units
            FROM alert a LEFT JOIN waiting w USING (variant_id)
            ORDER BY a.variant_id, w.created_at, w.order_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", now.AddDays(-waitingDays));
        command.Parameters.AddWithValue("now", now);
        var rows = new List<(VariantWaiting Variant, WaitingOrder? Order)>();
        DateOnly? snapshot = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                snapshot = reader.GetFieldValue<DateOnly>(7);
                var variant = new VariantWaiting(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetDecimal(6), 0, 0, null, []);
                var order = reader.IsDBNull(8)
                    ? null
                    : new WaitingOrder(reader.GetInt64(8), reader.GetString(9), reader.GetFieldValue<DateTimeOffset>(10),
                        Math.Round((decimal)(now - reader.GetFieldValue<DateTimeOffset>(10)).TotalHours, 1, MidpointRounding.AwayFromZero),
                        reader.GetInt64(11));
                rows.Add((variant, order));
            }
        }
        var variants = rows.GroupBy(r => r.Variant.VariantId).Select(g =>
        {
            var orders = g.Select(r => r.Order).OfType<WaitingOrder>().ToList();
            return g.First().Variant with
            {
                WaitingOrders = orders.Count,
                WaitingUnits = orders.Sum(o => o.Units),
                LongestWaitHours = orders.Count == 0 ? null : orders.Max(o => o.WaitedHours),
                Orders = [.. orders.OrderByDescending(o => o.WaitedHours).ThenBy(o => o.OrderId).Take(OrdersPerVariant)],
            };
        });
        return (snapshot, [.. variants.OrderBy(v => v.StockStatus == "out_of_stock" ? 0 : 1).ThenByDescending(v => v.WaitingOrders)
            .ThenByDescending(v => v.WaitingUnits).ThenBy(v => v.VariantId)]);
    }

    /// <summary>Per reporting day of the period: orders placed, those fulfilled late, and of them those holding a variant in alert that day.</summary>
    private static async Task<List<LateFulfillmentDay>> LateDays(NpgsqlDataSource dataSource, string shop, string timeZone, DateOnly from, DateOnly to,
        DateTimeOffset now, int lateAfterHours, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH latest AS (SELECT max(snapshot_date) AS snapshot_date FROM transform.inventory_snapshots WHERE shop_domain = @shop),
            placed AS (
                SELECT h.order_id, (h.created_at AT TIME ZONE @tz)::date AS day,
                       COALESCE((SELECT min(f.created_at) FROM transform.order_fulfillment f WHERE f.shop_domain = h.shop_domain AND f.order_id = h.order_id),
                                @now) - h.created_at > make_interval(hours => @late) AS late
                FROM transform.order_header h
                WHERE h.shop_domain = @shop AND NOT h.is_test AND h.cancelled_at IS NULL
                  AND h.created_at >= (@from::timestamp AT TIME ZONE @tz) AND h.created_at < ((@to + 1)::timestamp AT TIME ZONE @tz)
            ),
            late AS (
                SELECT p.order_id, p.day, EXISTS (
                    SELECT 1 FROM transform.order_line_item l
                    JOIN transform.inventory_snapshots s ON s.shop_domain = l.shop_domain AND s.variant_id = l.variant_id
                    WHERE l.shop_domain = @shop AND l.order_id = p.order_id AND l.current_quantity > 0 AND s.stock_status IN ('out_of_stock', 'low_stock')
                      AND s.snapshot_date = COALESCE(
                          (SELECT max(d.snapshot_date) FROM transform.inventory_snapshots d WHERE d.shop_domain = @shop AND d.snapshot_date = p.day),
                          (SELECT snapshot_date FROM latest))) AS in_alert
                FROM placed p WHERE p.late
            )
            SELECT d.day::date, (SELECT count(*) FROM placed p WHERE p.day = d.day::date), count(l.order_id), count(l.order_id) FILTER (WHERE l.in_alert)
            FROM generate_series(@from::timestamp, @to::timestamp, interval '1 day') AS d(day)
            LEFT JOIN late l ON l.day = d.day::date
            GROUP BY d.day ORDER BY d.day
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("tz", timeZone);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("late", lateAfterHours);
        var days = new List<LateFulfillmentDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (late, inAlert) = (reader.GetInt64(2), reader.GetInt64(3));
            days.Add(new LateFulfillmentDay(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1), late, inAlert, Ratios.Of(inAlert, late)));
        }
        return days;
    }
}
