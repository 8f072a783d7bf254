-- The daily facts of every day the changed orders' line facts are on, before or after (star_days), computed again.
DELETE FROM transform.fact_daily_sales f
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND f.date_key IN (SELECT date_key FROM star_days);

-- A day and channel's orders, customers and revenue from all its counted orders (read by the days' span of creation
-- times, a day either side for the zone); its units and gross from its line facts, now whole.
INSERT INTO transform.fact_daily_sales (shop_key, date_key, channel_key, orders, customers, units, revenue_minor, gross_minor)
SELECT s.shop_key, o.date_key, ch.channel_key, o.orders, o.customers, COALESCE(l.units, 0), o.revenue, COALESCE(l.gross, 0)
FROM (SELECT d.date_key, d.source_name, count(*) AS orders, count(DISTINCT d.customer_id) FILTER (WHERE d.customer_id <> 0) AS customers,
             sum(d.total_minor) AS revenue
      FROM (SELECT to_char((o.created_at AT TIME ZONE @tz)::date, 'YYYYMMDD')::int AS date_key, COALESCE(o.source_name, '') AS source_name,
                   COALESCE(o.customer_id, 0) AS customer_id, o.total_minor
            FROM transform.order_header o
            WHERE o.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
              AND o.created_at >= (SELECT to_date(min(date_key)::text, 'YYYYMMDD') - 1 FROM star_days)
              AND o.created_at < (SELECT to_date(max(date_key)::text, 'YYYYMMDD') + 2 FROM star_days)) d
      WHERE d.date_key IN (SELECT date_key FROM star_days)
      GROUP BY d.date_key, d.source_name) o
CROSS JOIN (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) s
JOIN transform.dim_channel ch ON ch.source_name = o.source_name
LEFT JOIN (SELECT f.date_key, f.channel_key, sum(f.quantity) AS units, sum(f.gross_minor) AS gross FROM transform.fact_order_line f
           WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND f.date_key IN (SELECT date_key FROM star_days)
           GROUP BY f.date_key, f.channel_key) l ON l.date_key = o.date_key AND l.channel_key = ch.channel_key;
