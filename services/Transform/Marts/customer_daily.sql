-- customer_daily: one row per shop, customer and reporting day in [@from, @to] on which the customer placed a counted
-- order (not a test, not cancelled) or was refunded on one; a day is a date in the shop's reporting time zone (@tz).
-- Rows of the range that no longer hold are removed. Answers the customers whose rows changed, for customer_cohort.sql.
--   orders              = the customer's counted orders created that day
--   net_minor           = Σ over those orders' lines of unit price × quantity − the line's discount, less the refunds
--                         made that day on any of the customer's counted orders
--   gross_profit_minor  = net_minor less the cost of goods of the lines whose cost is known (the cost in effect on the
--                         order's day, transform.variant_cost_periods, × the units kept)
WITH counted AS (
    SELECT o.customer_id, (o.created_at AT TIME ZONE @tz)::date AS date, o.order_id, o.currency_code
    FROM transform.order_header o
    WHERE o.shop_domain = @shop AND o.customer_id IS NOT NULL AND NOT o.is_test AND o.cancelled_at IS NULL
      AND o.created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND o.created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)
),
orders AS (
    SELECT customer_id, date, count(*) AS orders FROM counted GROUP BY customer_id, date
),
-- The days' lines lie within their orders' ids, @first_order to @last_order (OrderIdRange.cs).
lines AS (
    SELECT c.customer_id, c.date, sum(l.unit_price_minor * l.quantity - l.total_discount_minor) AS net,
           sum(COALESCE(k.unit_cost_minor * l.current_quantity, 0)) AS cogs
    FROM counted c
    JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = c.order_id
                                     AND l.order_id BETWEEN @first_order AND @last_order
    LEFT JOIN transform.variant_cost_periods(@shop) k ON k.variant_id = l.variant_id AND k.currency_code = c.currency_code AND c.date >= k.starts
                                AND (k.ends IS NULL OR c.date < k.ends)
    GROUP BY c.customer_id, c.date
),
refunds AS (
    SELECT o.customer_id, (r.created_at AT TIME ZONE @tz)::date AS date, sum(r.amount_minor) AS amount
    FROM transform.order_refund r
    JOIN transform.order_header o ON o.shop_domain = r.shop_domain AND o.order_id = r.order_id
    WHERE r.shop_domain = @shop
      AND r.created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND r.created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)
      AND o.customer_id IS NOT NULL AND NOT o.is_test AND o.cancelled_at IS NULL
    GROUP BY o.customer_id, (r.created_at AT TIME ZONE @tz)::date
),
fresh AS (
    SELECT COALESCE(o.customer_id, r.customer_id) AS customer_id, COALESCE(o.date, r.date) AS date, COALESCE(o.orders, 0)::int AS orders,
           (COALESCE(l.net, 0) - COALESCE(r.amount, 0))::bigint AS net, (COALESCE(l.net, 0) - COALESCE(l.cogs, 0) - COALESCE(r.amount, 0))::bigint AS gross_profit
    FROM orders o
    LEFT JOIN lines l ON l.customer_id = o.customer_id AND l.date = o.date
    FULL JOIN refunds r ON r.customer_id = o.customer_id AND r.date = o.date
),
written AS (
    INSERT INTO transform.customer_daily AS t (shop_domain, customer_id, date, orders, net_minor, gross_profit_minor)
    SELECT @shop, customer_id, date, orders, net, gross_profit FROM fresh
    ON CONFLICT (shop_domain, customer_id, date) DO UPDATE SET
        orders = EXCLUDED.orders, net_minor = EXCLUDED.net_minor, gross_profit_minor = EXCLUDED.gross_profit_minor
    WHERE (t.orders, t.net_minor, t.gross_profit_minor) IS DISTINCT FROM (EXCLUDED.orders, EXCLUDED.net_minor, EXCLUDED.gross_profit_minor)
    RETURNING t.customer_id
),
removed AS (
    DELETE FROM transform.customer_daily t
    WHERE t.shop_domain = @shop AND t.date BETWEEN @from AND @to
      AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.customer_id = t.customer_id AND f.date = t.date)
    RETURNING t.customer_id
)
SELECT COALESCE(array_agg(DISTINCT customer_id), '{}') FROM (SELECT customer_id FROM written UNION ALL SELECT customer_id FROM removed) touched
