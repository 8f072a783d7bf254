-- measurement.sales and measurement.performance of one shop on @day: per product, from the order-line facts of the
-- 7 and 30 reporting days before @day (the prior 7 days are the 7 before those).
CREATE TEMP TABLE measured_lines ON COMMIT DROP AS
SELECT COALESCE(p.product_id, 0) AS product_id, max(p.product_title) AS product_title,
       sum(f.quantity) FILTER (WHERE d.date >= @day::date - 7)                              AS units_7d,
       sum(f.net_minor) FILTER (WHERE d.date >= @day::date - 7)                             AS revenue_7d,
       sum(f.net_minor) FILTER (WHERE d.date >= @day::date - 14 AND d.date < @day::date - 7) AS revenue_prior_7d,
       sum(f.quantity) FILTER (WHERE d.date >= @day::date - 30)                             AS units_30d,
       sum(f.net_minor) FILTER (WHERE d.date >= @day::date - 30)                            AS revenue_30d
FROM transform.fact_order_line f
JOIN transform.dim_date d USING (date_key)
JOIN transform.dim_product p USING (product_key)
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
  AND f.date_key BETWEEN to_char(@day::date - 30, 'YYYYMMDD')::int AND to_char(@day::date - 1, 'YYYYMMDD')::int
GROUP BY COALESCE(p.product_id, 0);

DELETE FROM measurement.sales WHERE shop_domain = @shop AND measured_on = @day;
DELETE FROM measurement.performance WHERE shop_domain = @shop AND measured_on = @day;

INSERT INTO measurement.sales (shop_domain, measured_on, product_id, product_title, units_7d, revenue_7d_minor, units_30d, revenue_30d_minor, currency_code)
SELECT @shop, @day, product_id, product_title, COALESCE(units_7d, 0), COALESCE(revenue_7d, 0), COALESCE(units_30d, 0), COALESCE(revenue_30d, 0),
       (SELECT currency_code FROM transform.dim_shop WHERE shop_domain = @shop)
FROM measured_lines;

INSERT INTO measurement.performance (shop_domain, measured_on, product_id, product_title, revenue_rank_30d, revenue_share_30d,
    revenue_7d_minor, revenue_prior_7d_minor, growth_7d)
SELECT @shop, @day, product_id, product_title,
       rank() OVER (ORDER BY COALESCE(revenue_30d, 0) DESC),
       CASE WHEN sum(COALESCE(revenue_30d, 0)) OVER () = 0 THEN 0
            ELSE round(COALESCE(revenue_30d, 0)::numeric / sum(COALESCE(revenue_30d, 0)) OVER (), 4) END,
       COALESCE(revenue_7d, 0), COALESCE(revenue_prior_7d, 0),
       CASE WHEN COALESCE(revenue_prior_7d, 0) = 0 THEN NULL
            ELSE round((COALESCE(revenue_7d, 0) - revenue_prior_7d)::numeric / revenue_prior_7d, 4) END
FROM measured_lines;
