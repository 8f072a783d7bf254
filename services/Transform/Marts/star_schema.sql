-- Refreshes the star schema of one shop for the reporting days [@from, @to] (@tz): dimensions first (new members
-- added, known ones updated), then the facts of those days replaced. One refresh of a shop at a time (the refresher holds
-- the lock star:{shop} for the transaction). The orders and lines of the range are staged and analysed first, and so are
-- the dimensions, so the planner joins them by hash. The facts are found by the shop's key as a value, so that a small
-- shop's are probed in the key's indexes rather than read from among every shop's.
-- Without PostgreSQL's JIT, for the rest of the transaction: compiling these statements took longer than it saved, a
-- few days' as a whole history's.
SET LOCAL jit = off;

INSERT INTO transform.dim_shop (shop_domain, currency_code, reporting_time_zone)
SELECT @shop, transform.shop_currency(@shop), @tz
ON CONFLICT (shop_domain) DO UPDATE SET currency_code = COALESCE(EXCLUDED.currency_code, transform.dim_shop.currency_code),
    reporting_time_zone = EXCLUDED.reporting_time_zone;

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

ANALYZE star_orders;
ANALYZE star_lines;

INSERT INTO transform.dim_channel (source_name)
SELECT DISTINCT source_name FROM star_orders ON CONFLICT (source_name) DO NOTHING;

-- Lines without a variant (custom items, deleted variants) share one member, variant 0, that names no product: none of
-- those lines' products is theirs to speak for. A variant's member is named after its latest line.
INSERT INTO transform.dim_product (shop_key, variant_id, product_id, sku, product_title, vendor)
SELECT s.shop_key, l.variant_id,
       CASE WHEN l.variant_id = 0 THEN NULL ELSE l.product_id END,
       CASE WHEN l.variant_id = 0 THEN NULL ELSE l.sku END,
       CASE WHEN l.variant_id = 0 THEN 'Lines without a variant' ELSE l.title END,
       CASE WHEN l.variant_id = 0 THEN NULL ELSE l.vendor END
FROM (SELECT max(line_item_id) AS line_item_id FROM star_lines GROUP BY variant_id) latest
JOIN star_lines l USING (line_item_id)
JOIN transform.dim_shop s ON s.shop_domain = @shop
ON CONFLICT (shop_key, variant_id) DO NOTHING;

-- Catalogue details, when products were extracted, complete the product members.
UPDATE transform.dim_product d
SET product_id = v.product_id, sku = COALESCE(v.sku, d.sku), product_title = COALESCE(p.title, d.product_title),
    variant_title = v.title, vendor = COALESCE(p.vendor, d.vendor), product_type = p.product_type
FROM transform.product_variant v
LEFT JOIN transform.product p ON p.shop_domain = v.shop_domain AND p.product_id = v.product_id,
     transform.dim_shop s
WHERE s.shop_domain = @shop AND d.shop_key = s.shop_key AND v.shop_domain = @shop AND v.variant_id = d.variant_id
  AND (d.product_title IS DISTINCT FROM COALESCE(p.title, d.product_title) OR d.variant_title IS DISTINCT FROM v.title OR d.product_type IS DISTINCT FROM p.product_type);

INSERT INTO transform.dim_customer (shop_key, customer_id, state, first_order_at)
SELECT s.shop_key, o.customer_id, min(cu.state), min(o.created_at)
FROM star_orders o
JOIN transform.dim_shop s ON s.shop_domain = @shop
LEFT JOIN transform.customer cu ON cu.shop_domain = @shop AND cu.customer_id = o.customer_id
GROUP BY s.shop_key, o.customer_id
ON CONFLICT (shop_key, customer_id) DO UPDATE SET state = COALESCE(EXCLUDED.state, transform.dim_customer.state),
    first_order_at = LEAST(EXCLUDED.first_order_at, transform.dim_customer.first_order_at);

-- Fresh statistics of the members for the facts' joins below; skipped for a table another shop's refresh is analysing
-- (its lock is held to that refresh's commit, and every shop's refresh would otherwise wait for the one before).
ANALYZE (SKIP_LOCKED) transform.dim_product, transform.dim_customer, transform.dim_channel;

DELETE FROM transform.fact_order_line f
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
  AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int;
-- A line re-read with another day than its fact has (its order's reporting day moved: another time zone, an order
-- re-dated) replaces that fact too, wherever it was dated.
DELETE FROM transform.fact_order_line f USING star_lines l
WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND f.line_item_id = l.line_item_id;

INSERT INTO transform.fact_order_line (shop_key, line_item_id, order_id, date_key, product_key, customer_key, channel_key, quantity,
    gross_minor, discount_minor, net_minor)
SELECT s.shop_key, l.line_item_id, l.order_id, l.date_key, p.product_key, c.customer_key, ch.channel_key, l.quantity,
       l.unit_price_minor * l.quantity, l.total_discount_minor, l.unit_price_minor * l.quantity - l.total_discount_minor
FROM star_lines l
CROSS JOIN (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) s
JOIN transform.dim_product p ON p.shop_key = s.shop_key AND p.variant_id = l.variant_id
JOIN transform.dim_customer c ON c.shop_key = s.shop_key AND c.customer_id = l.customer_id
JOIN transform.dim_channel ch ON ch.source_name = l.source_name;

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
