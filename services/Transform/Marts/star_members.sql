-- The dimension members of the staged orders and lines (star_orders, star_lines), after either staging.
INSERT INTO transform.dim_shop (shop_domain, currency_code, reporting_time_zone)
SELECT @shop, transform.shop_currency(@shop), @tz
ON CONFLICT (shop_domain) DO UPDATE SET currency_code = COALESCE(EXCLUDED.currency_code, transform.dim_shop.currency_code),
    reporting_time_zone = EXCLUDED.reporting_time_zone;

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

