-- Each event names its shop, so that a purge finds every event of the shop (a purge's own event has no connection).
ALTER TABLE connector.connection_event ADD COLUMN shop_domain text;
UPDATE connector.connection_event SET shop_domain = body -> 'connection' ->> 'shopDomain' WHERE shop_domain IS NULL;
CREATE INDEX connection_event_shop ON connector.connection_event (shop_domain);

-- A shop's purge (a connection deleted with purge, or Shopify's shop/redact) and what each service answered it had
-- removed. Neither names the shop: once it is purged, nothing here says which shop it was, only who asked and when.
CREATE TABLE connector.purge (
    purge_id      uuid        PRIMARY KEY,
    connection_id uuid,
    reason        text        NOT NULL,
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE connector.purge_answer (
    purge_id    uuid        NOT NULL REFERENCES connector.purge (purge_id),
    service     text        NOT NULL,
    removed     jsonb       NOT NULL,
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (purge_id, service)
);
