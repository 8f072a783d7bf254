-- Customers Shopify asked to be forgotten (customers/redact): their rows are removed and their orders unlinked, and
-- every later load (a daily sync, a replay of an archived file) is held to the same, so a forgotten customer never
-- comes back. Only the ids are kept, to know whom not to keep; a shop's purge removes them with the rest.
CREATE TABLE transform.redacted_customer (
    shop_domain  text        NOT NULL,
    customer_id  bigint      NOT NULL,
    webhook_id   text        NOT NULL,
    redacted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, customer_id)
);
