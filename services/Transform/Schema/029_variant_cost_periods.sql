-- The cost in effect, the one rule the profit and the customer mart use: a variant's unit cost in a currency on a
-- reporting day is an operator's override effective on or before that day, else the latest cost seen from Shopify on or
-- before it, else the earliest known. It changes only on the days costs take effect, so it is answered once per period:
-- from each such day (and from '-infinity', before the first) to the next (ends null for the last). A day d of a
-- variant and currency has the cost of the period with starts <= d < ends.
CREATE FUNCTION transform.variant_cost_periods(shop text)
RETURNS TABLE (variant_id bigint, currency_code text, starts date, ends date, unit_cost_minor bigint)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p.variant_id, p.currency_code, p.starts, lead(p.starts) OVER (PARTITION BY p.variant_id, p.currency_code ORDER BY p.starts),
           cost.unit_cost_minor
    FROM (SELECT c.variant_id, c.currency_code, c.effective_from AS starts FROM transform.variant_cost c WHERE c.shop_domain = shop
          UNION SELECT c.variant_id, c.currency_code, '-infinity'::date FROM transform.variant_cost c WHERE c.shop_domain = shop) p
    CROSS JOIN LATERAL (
        SELECT v.unit_cost_minor FROM transform.variant_cost v
        WHERE v.shop_domain = shop AND v.variant_id = p.variant_id AND v.currency_code = p.currency_code
        ORDER BY v.effective_from <= p.starts DESC,
                 CASE WHEN v.effective_from <= p.starts THEN v.source = 'override' END DESC NULLS LAST,
                 CASE WHEN v.effective_from <= p.starts THEN v.effective_from END DESC NULLS LAST,
                 v.effective_from, v.source = 'shopify' DESC
        LIMIT 1
    ) cost
$$;
