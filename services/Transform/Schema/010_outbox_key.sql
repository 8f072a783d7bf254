-- Shopify's ids are unique across shops: an order version is keyed by its id and update time alone, a cheaper index
-- on the hot path of every chunk.
ALTER TABLE transform.commerce_event_outbox DROP CONSTRAINT commerce_event_outbox_shop_domain_order_id_updated_at_key;
ALTER TABLE transform.commerce_event_outbox ADD CONSTRAINT commerce_event_outbox_order_version UNIQUE (order_id, updated_at);
