-- An order event's id: the order id (8 bytes, big-endian) followed by the first 8 bytes of the MD5 of shop, order id
-- and updatedAt (microseconds since the Unix epoch), read as a uuid. It is still derived from the order version alone,
-- so a version loaded by two runs at once is one event, and a subscriber can deduplicate by it. Led by the order id,
-- the outbox's key takes a load's events in runs on the same pages instead of one random page each (the MD5 alone
-- cost a first load of a 1,000,000-order shop about a second). Events written before keep their ids.
CREATE FUNCTION transform.order_event_id(shop text, order_id bigint, updated_at timestamptz) RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT (lpad(to_hex(order_id), 16, '0')
            || left(md5(shop || '/' || order_id || '/' || (extract(epoch FROM updated_at) * 1000000)::bigint), 16))::uuid
$$;
