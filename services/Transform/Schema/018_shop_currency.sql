-- A shop's currency, the one rule every reader uses: the currency of its latest order (by creation, read backwards
-- along order_header_created, one row however large the shop), or, for a shop without orders yet, of its most recently
-- updated customer that names one; null while the shop has neither.
CREATE FUNCTION transform.shop_currency(shop text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT currency_code FROM (
        (SELECT currency_code, 1 AS rank FROM transform.order_header WHERE shop_domain = shop ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        (SELECT currency_code, 2 FROM transform.customer WHERE shop_domain = shop AND currency_code IS NOT NULL ORDER BY updated_at DESC LIMIT 1)
    ) known ORDER BY rank LIMIT 1
$$;
