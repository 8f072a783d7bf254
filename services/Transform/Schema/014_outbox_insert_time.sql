-- Order events are published in the order they were written. now() is the time the writing transaction began: a
-- transaction that waited on an order's row lock would stamp a newer version of the order earlier than the older one
-- committed meanwhile. clock_timestamp() is the time of the insert itself.
ALTER TABLE transform.commerce_event_outbox ALTER COLUMN created_at SET DEFAULT clock_timestamp();
