-- How many orders the orders list holds, kept as the orders change, so that a list's total is a sum of a few hundred rows
-- rather than a count of the shop's orders: per shop, UTC day of creation, and the states the list filters by
-- (cancelled, test, the financial and the fulfilment status, lower-cased, '' for none). The triggers below add to it in
-- the transaction that changes the orders, whatever changes them: a COPY of new orders, an upsert, a redaction, a purge.
-- They only ever append (+n for orders added to a key, -n for orders gone from it), so that two transactions counting
-- the same key never wait on each other: the chunks of a load commit in order and run side by side, and a later chunk
-- holding a count row an earlier one needed would stall both. A key's count is the sum of its rows;
-- transform.compact_order_counts folds a shop's rows into one per key after each load.
CREATE TABLE transform.order_count_daily (
    shop_domain         text    NOT NULL,
    created_on          date    NOT NULL,
    cancelled           boolean NOT NULL,
    is_test             boolean NOT NULL,
    financial_status    text    NOT NULL,
    fulfillment_status  text    NOT NULL,
    orders              bigint  NOT NULL
);
CREATE INDEX order_count_daily_shop ON transform.order_count_daily (shop_domain, created_on);

INSERT INTO transform.order_count_daily
SELECT shop_domain, (created_at AT TIME ZONE 'UTC')::date, cancelled_at IS NOT NULL, is_test, coalesce(lower(financial_status), ''),
       coalesce(lower(fulfillment_status), ''), count(*)
FROM transform.order_header GROUP BY 1, 2, 3, 4, 5, 6;

-- A statement's changed orders, counted by key: +1 for each order added to a key, -1 for each gone from one. An update
-- that leaves an order's day and states as they were (most do: a redaction, a new total) counts nothing. A delete counts
-- only for a shop whose counts are still there: a purge removes them first, in the same transaction.
CREATE FUNCTION transform.count_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO transform.order_count_daily
        SELECT shop_domain, (created_at AT TIME ZONE 'UTC')::date, cancelled_at IS NOT NULL, is_test, coalesce(lower(financial_status), ''),
               coalesce(lower(fulfillment_status), ''), count(*)
        FROM added GROUP BY 1, 2, 3, 4, 5, 6;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO transform.order_count_daily
        SELECT k.shop_domain, k.created_on, k.cancelled, k.is_test, k.financial_status, k.fulfillment_status, sum(k.change)
        FROM removed o JOIN added n USING (shop_domain, order_id)
        CROSS JOIN LATERAL (VALUES
            (o.shop_domain, (o.created_at AT TIME ZONE 'UTC')::date, o.cancelled_at IS NOT NULL, o.is_test, coalesce(lower(o.financial_status), ''),
             coalesce(lower(o.fulfillment_status), ''), -1),
            (n.shop_domain, (n.created_at AT TIME ZONE 'UTC')::date, n.cancelled_at IS NOT NULL, n.is_test, coalesce(lower(n.financial_status), ''),
             coalesce(lower(n.fulfillment_status), ''), 1)) AS k (shop_domain, created_on, cancelled, is_test, financial_status, fulfillment_status, change)
        WHERE ((o.created_at AT TIME ZONE 'UTC')::date, o.cancelled_at IS NOT NULL, o.is_test, lower(o.financial_status), lower(o.fulfillment_status))
              IS DISTINCT FROM ((n.created_at AT TIME ZONE 'UTC')::date, n.cancelled_at IS NOT NULL, n.is_test, lower(n.financial_status),
                                lower(n.fulfillment_status))
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(k.change) <> 0;
    ELSE
        INSERT INTO transform.order_count_daily
        SELECT shop_domain, (created_at AT TIME ZONE 'UTC')::date, cancelled_at IS NOT NULL, is_test, coalesce(lower(financial_status), ''),
               coalesce(lower(fulfillment_status), ''), -count(*)
        FROM removed r
        WHERE EXISTS (SELECT 1 FROM transform.order_count_daily c WHERE c.shop_domain = r.shop_domain)
        GROUP BY 1, 2, 3, 4, 5, 6;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_count_insert AFTER INSERT ON transform.order_header
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION transform.count_orders();
CREATE TRIGGER order_count_update AFTER UPDATE ON transform.order_header
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION transform.count_orders();
CREATE TRIGGER order_count_delete AFTER DELETE ON transform.order_header
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION transform.count_orders();

-- Folds a shop's count rows into one per key (keys that come to nothing go). Each row is taken by the one fold that
-- deletes it, so folds of one shop side by side, or a load's counts added meanwhile, lose nothing; a lock on the shop
-- keeps two folds from waiting on each other's rows.
CREATE FUNCTION transform.compact_order_counts(shop text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('transform.order_count_daily:' || shop, 0));
    WITH folded AS (DELETE FROM transform.order_count_daily WHERE shop_domain = shop RETURNING *)
    INSERT INTO transform.order_count_daily
    SELECT shop_domain, created_on, cancelled, is_test, financial_status, fulfillment_status, sum(orders)
    FROM folded GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(orders) <> 0;
$$;
