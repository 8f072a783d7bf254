-- The line facts of the orders a sync changed (star_stage_run.sql) go, wherever they were dated; the days they were on,
-- and the days of the counted orders, are kept (star_days) for star_daily_run.sql to compute again.
CREATE TEMP TABLE star_days (date_key integer PRIMARY KEY) ON COMMIT DROP;

WITH gone AS (
    DELETE FROM transform.fact_order_line f USING star_touched_lines l
    WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND f.line_item_id = l.line_item_id
    RETURNING f.date_key
)
INSERT INTO star_days SELECT DISTINCT date_key FROM gone UNION SELECT date_key FROM star_orders ON CONFLICT DO NOTHING;
