-- profit_daily: one row per shop and day in [@from, @to] that sales_metrics_daily holds (refreshed just before, in the
-- same transaction); a day is a date in the shop's reporting time zone (@tz). Test and cancelled orders are left out.
-- Money is in minor units of the shop currency.
-- A line's unit cost is the one in effect on its order's reporting day (transform.variant_cost_periods: an operator's
-- override effective on or before that day, else the latest cost seen from Shopify on or before it, else the earliest
-- known); a cost in another currency than the order's is not known.
--   net_sales_minor        = the day's net sales (sales_metrics_daily: gross − discounts − refunds)
--   line_net_minor         = Σ over the day's lines of unit price × quantity − the line's discount
--   costed_line_net_minor  = the same over the lines whose cost is known (coverage = costed / line net)
--   cogs_minor             = Σ over the lines whose cost is known of unit cost × current quantity (the units kept: a unit
--                            refunded or removed carries no cost)
--   lines, lines_without_cost
--   first_orders, first_revenue_minor   = the day's orders that are their customer's first counted order ever, and their
--                                         revenue (totalPriceSet, as sales_metrics_daily's revenue)
--   repeat_orders, repeat_revenue_minor = the day's orders of customers who had ordered before
--   guest_orders, guest_revenue_minor   = the day's orders without a customer: neither new nor returning
-- What the shop's cost rules (transform.cost_rule) apply to, when the profit is read:
--   orders, units, revenue_minor        = the day's counted orders, the units ordered on them, their revenue (totalPriceSet)
--   shopify_fees_minor                  = the payment fees Shopify reports on those orders' successful transactions
--   orders_without_fees, revenue_without_fees_minor = the orders whose fees Shopify does not report, and their revenue
WITH bounds AS (
    SELECT (@from::date::timestamp AT TIME ZONE @tz) AS starts, ((@to::date + 1)::timestamp AT TIME ZONE @tz) AS ends
),
counted AS (
    SELECT (o.created_at AT TIME ZONE @tz)::date AS date, o.order_id, o.currency_code, o.customer_id, o.total_minor, o.payment_fees_minor
    FROM transform.order_header o, bounds
    WHERE o.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
      AND o.created_at >= bounds.starts AND o.created_at < bounds.ends
),
-- Each customer's first counted order, from the customer mart (customer_cohort.sql), refreshed just before.
firsts AS (
    SELECT f.first_order_id AS order_id FROM transform.customer_cohort f
    WHERE f.shop_domain = @shop AND f.customer_id IN (SELECT customer_id FROM counted WHERE customer_id IS NOT NULL)
),
buyers AS (
    SELECT c.date,
           (count(*) FILTER (WHERE f.order_id IS NOT NULL))::int AS first_orders,
           COALESCE(sum(c.total_minor) FILTER (WHERE f.order_id IS NOT NULL), 0)::bigint AS first_revenue,
           (count(*) FILTER (WHERE c.customer_id IS NOT NULL AND f.order_id IS NULL))::int AS repeat_orders,
           COALESCE(sum(c.total_minor) FILTER (WHERE c.customer_id IS NOT NULL AND f.order_id IS NULL), 0)::bigint AS repeat_revenue,
           (count(*) FILTER (WHERE c.customer_id IS NULL))::int AS guest_orders,
           COALESCE(sum(c.total_minor) FILTER (WHERE c.customer_id IS NULL), 0)::bigint AS guest_revenue,
           count(*)::int AS orders, sum(c.total_minor)::bigint AS revenue, COALESCE(sum(c.payment_fees_minor), 0)::bigint AS shopify_fees,
           (count(*) FILTER (WHERE c.payment_fees_minor IS NULL))::int AS orders_without_fees,
           COALESCE(sum(c.total_minor) FILTER (WHERE c.payment_fees_minor IS NULL), 0)::bigint AS revenue_without_fees
    FROM counted c LEFT JOIN firsts f ON f.order_id = c.order_id
    GROUP BY c.date
),
-- The day's lines of a variant share its cost (the cost in effect is a variant's, in a currency, on a day): they are
-- summed first and their cost looked up once, in the period the day falls in.
-- The days' lines lie within their orders' ids, @first_order to @last_order (OrderIdRange.cs).
costed AS (
    SELECT g.date, g.line_net, g.lines, g.units, cost.unit_cost_minor * g.current_units AS cogs
    FROM (SELECT c.date, c.currency_code, l.variant_id, sum(l.unit_price_minor * l.quantity - l.total_discount_minor) AS line_net,
                 count(*) AS lines, sum(l.quantity) AS units, sum(l.current_quantity) AS current_units
          FROM counted c JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = c.order_id
                         AND l.order_id BETWEEN @first_order AND @last_order
          GROUP BY c.date, c.currency_code, l.variant_id) g
    LEFT JOIN transform.variant_cost_periods(@shop) cost
           ON cost.variant_id = g.variant_id AND cost.currency_code = g.currency_code AND g.date >= cost.starts AND (cost.ends IS NULL OR g.date < cost.ends)
),
days AS (
    SELECT date, sum(line_net)::bigint AS line_net, COALESCE(sum(line_net) FILTER (WHERE cogs IS NOT NULL), 0)::bigint AS costed_line_net,
           COALESCE(sum(cogs), 0)::bigint AS cogs, sum(lines)::int AS lines,
           COALESCE(sum(lines) FILTER (WHERE cogs IS NULL), 0)::int AS lines_without_cost, sum(units)::int AS units
    FROM costed GROUP BY date
)
INSERT INTO transform.profit_daily AS target (shop_domain, date, currency_code, net_sales_minor, line_net_minor, costed_line_net_minor, cogs_minor,
    lines, lines_without_cost, first_orders, first_revenue_minor, repeat_orders, repeat_revenue_minor, guest_orders, guest_revenue_minor,
    orders, units, revenue_minor, shopify_fees_minor, orders_without_fees, revenue_without_fees_minor, refreshed_at)
SELECT @shop, s.date, s.currency_code, s.net_sales_minor, COALESCE(d.line_net, 0), COALESCE(d.costed_line_net, 0), COALESCE(d.cogs, 0),
       COALESCE(d.lines, 0), COALESCE(d.lines_without_cost, 0), COALESCE(b.first_orders, 0), COALESCE(b.first_revenue, 0),
       COALESCE(b.repeat_orders, 0), COALESCE(b.repeat_revenue, 0), COALESCE(b.guest_orders, 0), COALESCE(b.guest_revenue, 0),
       COALESCE(b.orders, 0), COALESCE(d.units, 0), COALESCE(b.revenue, 0), COALESCE(b.shopify_fees, 0), COALESCE(b.orders_without_fees, 0),
       COALESCE(b.revenue_without_fees, 0), now()
FROM transform.sales_metrics_daily s
LEFT JOIN days d ON d.date = s.date
LEFT JOIN buyers b ON b.date = s.date
WHERE s.shop_domain = @shop AND s.date BETWEEN @from AND @to
ON CONFLICT (shop_domain, date) DO UPDATE SET
    currency_code = EXCLUDED.currency_code, net_sales_minor = EXCLUDED.net_sales_minor, line_net_minor = EXCLUDED.line_net_minor,
    costed_line_net_minor = EXCLUDED.costed_line_net_minor, cogs_minor = EXCLUDED.cogs_minor, lines = EXCLUDED.lines,
    lines_without_cost = EXCLUDED.lines_without_cost, first_orders = EXCLUDED.first_orders, first_revenue_minor = EXCLUDED.first_revenue_minor,
    repeat_orders = EXCLUDED.repeat_orders, repeat_revenue_minor = EXCLUDED.repeat_revenue_minor, guest_orders = EXCLUDED.guest_orders,
    guest_revenue_minor = EXCLUDED.guest_revenue_minor, orders = EXCLUDED.orders, units = EXCLUDED.units, revenue_minor = EXCLUDED.revenue_minor,
    shopify_fees_minor = EXCLUDED.shopify_fees_minor, orders_without_fees = EXCLUDED.orders_without_fees,
    revenue_without_fees_minor = EXCLUDED.revenue_without_fees_minor, refreshed_at = EXCLUDED.refreshed_at;
