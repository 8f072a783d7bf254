-- The line facts of the staged lines (star_lines), once the facts they replace are gone (star_clear_days.sql,
-- star_clear_run.sql).
INSERT INTO transform.fact_order_line (shop_key, line_item_id, order_id, date_key, product_key, customer_key, channel_key, quantity,
    gross_minor, discount_minor, net_minor)
SELECT s.shop_key, l.line_item_id, l.order_id, l.date_key, p.product_key, c.customer_key, ch.channel_key, l.quantity,
       l.unit_price_minor * l.quantity, l.total_discount_minor, l.unit_price_minor * l.quantity - l.total_discount_minor
FROM star_lines l
CROSS JOIN (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) s
JOIN transform.dim_product p ON p.shop_key = s.shop_key AND p.variant_id = l.variant_id
JOIN transform.dim_customer c ON c.shop_key = s.shop_key AND c.customer_id = l.customer_id
JOIN transform.dim_channel ch ON ch.source_name = l.source_name;
