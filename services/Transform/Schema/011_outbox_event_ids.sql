-- An order event's id is derived from the order version it reports: the MD5 of shop, order id and updatedAt (in
-- microseconds since the epoch), read as a uuid. Loading a version again, from any run, names the same event, so the
-- key that keeps events to one per version is the id itself; a subscriber can deduplicate a redelivery by it.
ALTER TABLE transform.commerce_event_outbox DROP CONSTRAINT commerce_event_outbox_shop_domain_order_id_updated_at_key;
DROP INDEX transform.commerce_event_outbox_unpublished;
ALTER TABLE transform.commerce_event_outbox DROP COLUMN id;
ALTER TABLE transform.commerce_event_outbox ALTER COLUMN event_id DROP DEFAULT, ADD PRIMARY KEY (event_id);
CREATE INDEX commerce_event_outbox_unpublished ON transform.commerce_event_outbox (created_at) WHERE published_at IS NULL;
