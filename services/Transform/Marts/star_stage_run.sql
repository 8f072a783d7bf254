-- The star schema of one shop for the orders a sync (@run) changed on the reporting days [@from, @to] (@tz): a daily
-- sync changes a few thousand orders of days that hold many more, and only those orders' facts are written again. The
-- run's orders are staged whatever became of them (star_touched: a cancelled or test order's facts go), the counted
-- ones with their lines as a whole refresh stages them (star_orders, star_lines); star_members.sql adds and updates
-- their members, star_clear_run.sql and star_line_facts.sql replace their facts, star_daily_run.sql the daily facts of
-- their days. One refresh of a shop at a
-- time (the lock star:{shop}). Without PostgreSQL's JIT, as a whole refresh.
SET LOCAL jit = off;

CREATE TEMP TABLE star_touched ON COMMIT DROP AS
SELECT o.order_id, NOT o.is_test AND o.cancelled_at IS NULL AS counted, COALESCE(o.customer_id, 0) AS customer_id,
       COALESCE(o.source_name, '') AS source_name, o.total_minor, o.created_at,
       to_char((o.created_at AT TIME ZONE @tz)::date, 'YYYYMMDD')::int AS date_key
FROM transform.order_header o
WHERE o.shop_domain = @shop AND o.source_run_id = @run
  AND o.created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND o.created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz);

CREATE TEMP TABLE star_orders ON COMMIT DROP AS
SELECT order_id, customer_id, source_name, total_minor, created_at, date_key FROM star_touched WHERE counted;

-- Every line of the touched orders (their facts are replaced), those of the counted ones staged as facts to be.
CREATE TEMP TABLE star_touched_lines ON COMMIT DROP AS
SELECT l.line_item_id, l.order_id, COALESCE(l.variant_id, 0) AS variant_id, l.product_id, l.sku, l.title, l.vendor, l.quantity,
       l.unit_price_minor, l.total_discount_minor, t.date_key, t.customer_id, t.source_name, t.counted
FROM star_touched t JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = t.order_id;

CREATE TEMP TABLE star_lines ON COMMIT DROP AS
SELECT line_item_id, order_id, variant_id, product_id, sku, title, vendor, quantity, unit_price_minor, total_discount_minor, date_key,
       customer_id, source_name
FROM star_touched_lines WHERE counted;
