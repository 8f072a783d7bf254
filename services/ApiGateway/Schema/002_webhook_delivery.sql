-- Shopify webhook deliveries the gateway has forwarded and the Ingest-Saga accepted, by X-Shopify-Webhook-Id, for the
-- replay window: a signed delivery sent again (a replay, or Shopify's own retry of a delivery already accepted) is not
-- forwarded twice. Rows older than the window are removed as new ones come.
CREATE TABLE gateway.webhook_delivery (
    webhook_id   text        PRIMARY KEY,
    shop_domain  text,
    received_at  timestamptz NOT NULL
);
CREATE INDEX webhook_delivery_received ON gateway.webhook_delivery (received_at);
