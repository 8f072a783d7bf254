-- Product costs, with their history. An inventory item's unit cost as Shopify gives it (the shop's currency, minor units),
-- and every variant's cost as it was seen day by day: a row when a cost is first seen or seen changed (source shopify),
-- or when an operator gives one from a day on (source override). A line's cost of goods is the cost in effect on its
-- order's reporting day: an override's, else Shopify's latest seen on or before that day, else the earliest known.
ALTER TABLE transform.inventory_item ADD COLUMN unit_cost_minor bigint, ADD COLUMN unit_cost_currency text;

CREATE TABLE transform.variant_cost (
    shop_domain      text        NOT NULL,
    variant_id       bigint      NOT NULL,
    source           text        NOT NULL CHECK (source IN ('shopify', 'override')),
    effective_from   date        NOT NULL,
    unit_cost_minor  bigint      NOT NULL CHECK (unit_cost_minor >= 0),
    currency_code    text        NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    recorded_by      text,
    PRIMARY KEY (shop_domain, variant_id, source, effective_from)
);
