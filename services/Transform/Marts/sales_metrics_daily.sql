-- sales_metrics_daily: one row per shop and day in [@from, @to]; a day is a date in the shop's reporting time zone
-- (@tz, UTC unless the shop sets one). Test and cancelled orders are left out of every figure. Money is in minor
-- units of the shop currency (shopMoney).
--   orders            = orders created that day
--   revenue_minor     = sum of those orders' totalPriceSet
--   aov_minor         = revenue / orders, rounded to the minor unit (half away from zero); 0 without orders
--   gross_sales_minor = sum over those orders' lines of unit price × ordered quantity, each line once
--   discounts_minor   = sum of those orders' totalDiscountsSet
--   refunds_minor     = sum of the refunds made that day (by the refund's own date, whatever the order's)
--   net_sales_minor   = gross − discounts − refunds
--   orders_fulfilled  = orders created that day that are now fully fulfilled
--   fulfillment_rate  = orders_fulfilled / orders, to 4 decimals; 0 without orders
-- Days of the range without orders get a zero row, so a refreshed range has no gaps.
WITH bounds AS (
    SELECT (@from::date::timestamp AT TIME ZONE @tz) AS starts, ((@to::date + 1)::timestamp AT TIME ZONE @tz) AS ends
),
counted AS (
    SELECT (o.created_at AT TIME ZONE @tz)::date AS date, o.order_id, o.currency_code, o.total_minor, o.total_discounts_minor,
           o.fulfillment_status
    FROM transform.order_header o, bounds
    WHERE o.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
      AND o.created_at >= bounds.starts AND o.created_at < bounds.ends
),
sales AS (
    SELECT date, min(currency_code) AS currency_code, count(*)::int AS orders, sum(total_minor)::bigint AS revenue,
           sum(total_discounts_minor)::bigint AS discounts, (count(*) FILTER (WHERE fulfillment_status = 'FULFILLED'))::int AS fulfilled
    FROM counted GROUP BY date
),
-- The days' lines lie within their orders' ids, @first_order to @last_order (OrderIdRange.cs).
gross AS (
    SELECT c.date, sum(l.unit_price_minor * l.quantity)::bigint AS gross
    FROM counted c JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = c.order_id
                       AND l.order_id BETWEEN @first_order AND @last_order
    GROUP BY c.date
),
refunds AS (
    SELECT (r.created_at AT TIME ZONE @tz)::date AS date, sum(r.amount_minor)::bigint AS refunds
    FROM transform.order_refund r
    JOIN transform.order_header o ON o.shop_domain = r.shop_domain AND o.order_id = r.order_id, bounds
    WHERE r.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
      AND r.created_at >= bounds.starts AND r.created_at < bounds.ends
    GROUP BY 1
)
INSERT INTO transform.sales_metrics_daily AS target (shop_domain, date, currency_code, orders, revenue_minor, aov_minor, gross_sales_minor,
    discounts_minor, refunds_minor, net_sales_minor, orders_fulfilled, fulfillment_rate, refreshed_at)
SELECT @shop,
       day::date,
       COALESCE(sales.currency_code, (SELECT currency_code FROM transform.order_header WHERE shop_domain = @shop LIMIT 1), ''),
       COALESCE(sales.orders, 0),
       COALESCE(sales.revenue, 0),
       CASE WHEN COALESCE(sales.orders, 0) = 0 THEN 0 ELSE round(sales.revenue::numeric / sales.orders)::bigint END,
       COALESCE(gross.gross, 0),
       COALESCE(sales.discounts, 0),
       COALESCE(refunds.refunds, 0),
       COALESCE(gross.gross, 0) - COALESCE(sales.discounts, 0) - COALESCE(refunds.refunds, 0),
       COALESCE(sales.fulfilled, 0),
       CASE WHEN COALESCE(sales.orders, 0) = 0 THEN 0 ELSE round(sales.fulfilled::numeric / sales.orders, 4) END,
       now()
FROM generate_series(@from::date, @to::date, interval '1 day') AS day
LEFT JOIN sales ON sales.date = day::date
LEFT JOIN gross ON gross.date = day::date
LEFT JOIN refunds ON refunds.date = day::date
ON CONFLICT (shop_domain, date) DO UPDATE SET
    currency_code = EXCLUDED.currency_code, orders = EXCLUDED.orders, revenue_minor = EXCLUDED.revenue_minor,
    aov_minor = EXCLUDED.aov_minor, gross_sales_minor = EXCLUDED.gross_sales_minor, discounts_minor = EXCLUDED.discounts_minor,
    refunds_minor = EXCLUDED.refunds_minor, net_sales_minor = EXCLUDED.net_sales_minor, orders_fulfilled = EXCLUDED.orders_fulfilled,
    fulfillment_rate = EXCLUDED.fulfillment_rate, refreshed_at = EXCLUDED.refreshed_at
RETURNING date, currency_code, orders, revenue_minor, refunds_minor;
