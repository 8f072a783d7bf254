-- The daily facts of the reporting days [@from, @to], replaced whole from the staged orders and lines.
DELETE FROM transform.fact_daily_sales f
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
  AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int;

-- A day and channel's orders, customers and revenue from its orders; its units and gross from their lines.
INSERT INTO transform.fact_daily_sales (shop_key, date_key, channel_key, orders, customers, units, revenue_minor, gross_minor)
SELECT s.shop_key, o.date_key, ch.channel_key, o.orders, o.customers, COALESCE(l.units, 0), o.revenue, COALESCE(l.gross, 0)
FROM (SELECT date_key, source_name, count(*) AS orders, count(DISTINCT customer_id) FILTER (WHERE customer_id <> 0) AS customers,
             sum(total_minor) AS revenue
      FROM star_orders GROUP BY date_key, source_name) o
LEFT JOIN (SELECT date_key, source_name, sum(quantity) AS units, sum(unit_price_minor * quantity) AS gross
           FROM star_lines GROUP BY date_key, source_name) l USING (date_key, source_name)
CROSS JOIN (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) s
JOIN transform.dim_channel ch ON ch.source_name = o.source_name;
