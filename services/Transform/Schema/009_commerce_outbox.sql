-- Order events written in the same transaction as the order rows that caused them, then published on the bus by
-- CommerceEventDispatcher: one row per order version, so loading the same version again adds nothing.
CREATE TABLE transform.commerce_event_outbox (
    id                  bigserial   PRIMARY KEY,
    event_id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    run_id              uuid        NOT NULL,
    shop_domain         text        NOT NULL,
    order_id            bigint      NOT NULL,
    order_name          text        NOT NULL,
    updated_at          timestamptz NOT NULL,
    changes             text[]      NOT NULL,
    currency_code       text        NOT NULL,
    total_minor         bigint      NOT NULL,
    refunded_minor      bigint      NOT NULL,
    financial_status    text,
    fulfillment_status  text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    published_at        timestamptz,
    UNIQUE (shop_domain, order_id, updated_at)
);
CREATE INDEX commerce_event_outbox_unpublished ON transform.commerce_event_outbox (id) WHERE published_at IS NULL;
