-- The star schema of one shop for the reporting days [@from, @to] (@tz), whole: every counted order of those days and its
-- lines are staged here; star_members.sql adds and updates their dimension members, star_clear_days.sql,
-- star_line_facts.sql and star_daily_days.sql replace the days' facts. (A sync that changed few of the days' orders stages only those: star_stage_run.sql.) One refresh of a
-- shop at a time (the refresher holds the lock star:{shop} for the transaction). The orders and lines are staged and
-- analysed first, and so are the dimensions, so the planner joins them by hash. The facts are found by the shop's key
-- as a value, so that a small shop's are probed in the key's indexes rather than read from among every shop's.
-- Without PostgreSQL's JIT, for the rest of the transaction: compiling these statements took longer than it saved, a
-- few days' as a whole history's.
SET LOCAL jit = off;

CREATE TEMP TABLE star_orders ON COMMIT DROP AS
SELECT o.order_id, COALESCE(o.customer_id, 0) AS customer_id, COALESCE(o.source_name, '') AS source_name, o.total_minor, o.created_at,
       to_char((o.created_at AT TIME ZONE @tz)::date, 'YYYYMMDD')::int AS date_key
FROM transform.order_header o
WHERE o.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
  AND o.created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND o.created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz);

-- The range's lines lie within their orders' ids, @first_order to @last_order (OrderIdRange.cs).
CREATE TEMP TABLE star_lines ON COMMIT DROP AS
SELECT l.line_item_id, l.order_id, COALESCE(l.variant_id, 0) AS variant_id, l.product_id, l.sku, l.title, l.vendor, l.quantity,
       l.unit_price_minor, l.total_discount_minor, o.date_key, o.customer_id, o.source_name
FROM star_orders o JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = o.order_id
                     AND l.order_id BETWEEN @first_order AND @last_order;

