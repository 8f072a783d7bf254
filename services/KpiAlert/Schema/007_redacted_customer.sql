-- Customers Shopify asked to be forgotten (customers/redact): their customer days are removed, and a copy of a day
-- computed before the redaction but heard after it does not bring them back. Only the ids are kept; a shop's purge
-- removes them with the rest.
CREATE TABLE kpi.redacted_customer (
    shop_domain  text        NOT NULL,
    customer_id  bigint      NOT NULL,
    redacted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, customer_id)
);
