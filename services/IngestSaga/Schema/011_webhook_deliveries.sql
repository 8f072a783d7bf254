-- Shopify's webhook deliveries, by X-Shopify-Webhook-Id: a delivery sent again (Shopify retries, a replay) is ignored.
CREATE TABLE ingest.webhook_delivery (
    webhook_id        text        PRIMARY KEY,
    shop_domain       text        NOT NULL,
    topic             text        NOT NULL,
    bulk_operation_id text,
    run_id            uuid,
    received_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX bulk_sync_state_bulk_operation ON ingest.bulk_sync_state (bulk_operation_id) WHERE bulk_operation_id IS NOT NULL;
