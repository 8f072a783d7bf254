-- The 30 days of v_sales_pulse_30d are the shop's reporting days, like the rows it sums: up to yesterday in the shop's
-- reporting time zone (dim_shop, written by each refresh of the star schema; UTC for a shop it does not know yet).
CREATE OR REPLACE VIEW transform.v_sales_pulse_30d AS
SELECT d.shop_domain,
       min(d.currency_code)                                                      AS currency_code,
       min(d.date)                                                               AS date_from,
       max(d.date)                                                               AS date_to,
       sum(d.orders)::bigint                                                     AS orders,
       sum(d.revenue_minor)::bigint                                              AS revenue_minor,
       CASE WHEN sum(d.orders) = 0 THEN 0 ELSE round(sum(d.revenue_minor)::numeric / sum(d.orders))::bigint END AS aov_minor,
       sum(d.gross_sales_minor)::bigint                                          AS gross_sales_minor,
       sum(d.discounts_minor)::bigint                                            AS discounts_minor,
       sum(d.refunds_minor)::bigint                                              AS refunds_minor,
       sum(d.net_sales_minor)::bigint                                            AS net_sales_minor,
       sum(d.orders_fulfilled)::bigint                                           AS orders_fulfilled,
       CASE WHEN sum(d.orders) = 0 THEN 0 ELSE round(sum(d.orders_fulfilled)::numeric / sum(d.orders), 4) END AS fulfillment_rate
FROM transform.sales_metrics_daily d
LEFT JOIN transform.dim_shop s ON s.shop_domain = d.shop_domain
CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE COALESCE(s.reporting_time_zone, 'UTC'))::date AS today) t
WHERE d.date > t.today - 31 AND d.date < t.today
GROUP BY d.shop_domain;
