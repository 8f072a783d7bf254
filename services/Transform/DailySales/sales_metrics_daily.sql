-- sales_metrics_daily: one row per shop and UTC date in [@from, @to].
--   orders        = count of orders created that day, excluding test and cancelled orders
--   revenue_minor = sum of those orders' totalPriceSet.shopMoney, in minor units of the shop currency
-- Days of the range without orders get a zero row, so a refreshed range has no gaps.
INSERT INTO transform.sales_metrics_daily AS target (shop_domain, date, currency_code, orders, revenue_minor, refreshed_at)
SELECT @shop,
       day::date,
       COALESCE(sales.currency_code, (SELECT currency_code FROM transform.order_header WHERE shop_domain = @shop LIMIT 1), ''),
       COALESCE(sales.orders, 0),
       COALESCE(sales.revenue_minor, 0),
       now()
FROM generate_series(@from::date, @to::date, interval '1 day') AS day
LEFT JOIN (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS date,
           min(currency_code) AS currency_code,
           count(*)::int AS orders,
           sum(total_minor)::bigint AS revenue_minor
    FROM transform.order_header
    WHERE shop_domain = @shop
      AND NOT is_test
      AND cancelled_at IS NULL
      AND created_at >= (@from::date::timestamp AT TIME ZONE 'UTC')
      AND created_at < ((@to::date + 1)::timestamp AT TIME ZONE 'UTC')
    GROUP BY 1
) sales ON sales.date = day::date
ON CONFLICT (shop_domain, date) DO UPDATE SET
    currency_code = EXCLUDED.currency_code,
    orders = EXCLUDED.orders,
    revenue_minor = EXCLUDED.revenue_minor,
    refreshed_at = EXCLUDED.refreshed_at
RETURNING date, currency_code, orders, revenue_minor;
