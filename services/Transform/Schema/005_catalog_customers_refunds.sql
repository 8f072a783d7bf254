-- Refunds and fulfillments of an order, read from the order's own line. A refund counts on its own date. Rows of an
-- order change only with a newer version of that order (order_updated_at), so replaying an old file changes nothing.
CREATE TABLE transform.order_refund (
    shop_domain       text        NOT NULL,
    refund_id         bigint      NOT NULL,
    order_id          bigint      NOT NULL,
    created_at        timestamptz NOT NULL,
    amount_minor      bigint      NOT NULL,
    currency_code     text        NOT NULL,
    order_updated_at  timestamptz NOT NULL,
    source_run_id     uuid        NOT NULL,
    PRIMARY KEY (shop_domain, refund_id)
);
CREATE INDEX order_refund_order ON transform.order_refund (shop_domain, order_id);
CREATE INDEX order_refund_created ON transform.order_refund (shop_domain, created_at);

CREATE TABLE transform.order_fulfillment (
    shop_domain       text        NOT NULL,
    fulfillment_id    bigint      NOT NULL,
    order_id          bigint      NOT NULL,
    status            text,
    created_at        timestamptz NOT NULL,
    order_updated_at  timestamptz NOT NULL,
    source_run_id     uuid        NOT NULL,
    PRIMARY KEY (shop_domain, fulfillment_id)
);
CREATE INDEX order_fulfillment_order ON transform.order_fulfillment (shop_domain, order_id);

CREATE TABLE transform.product (
    shop_domain    text        NOT NULL,
    product_id     bigint      NOT NULL,
    title          text        NOT NULL,
    vendor         text,
    product_type   text,
    status         text,
    created_at     timestamptz,
    updated_at     timestamptz NOT NULL,
    source_run_id  uuid        NOT NULL,
    PRIMARY KEY (shop_domain, product_id)
);

-- Shopify gives a variant's price without its currency (the shop's): price_minor and currency_code are filled with
-- the shop currency when the shop's orders or customers name it, and price keeps Shopify's text either way.
CREATE TABLE transform.product_variant (
    shop_domain         text        NOT NULL,
    variant_id          bigint      NOT NULL,
    product_id          bigint      NOT NULL,
    sku                 text,
    title               text,
    price               text,
    price_minor         bigint,
    currency_code       text,
    inventory_quantity  integer,
    inventory_item_id   bigint,
    updated_at          timestamptz,
    source_run_id       uuid        NOT NULL,
    PRIMARY KEY (shop_domain, variant_id)
);
CREATE INDEX product_variant_product ON transform.product_variant (shop_domain, product_id);

CREATE TABLE transform.inventory_item (
    shop_domain        text        NOT NULL,
    inventory_item_id  bigint      NOT NULL,
    variant_id         bigint,
    sku                text,
    updated_at         timestamptz,
    source_run_id      uuid        NOT NULL,
    PRIMARY KEY (shop_domain, inventory_item_id)
);

-- Stock per inventory item and location, as the last extraction saw it.
CREATE TABLE transform.inventory_level (
    shop_domain        text        NOT NULL,
    inventory_item_id  bigint      NOT NULL,
    location_id        bigint      NOT NULL,
    available          integer     NOT NULL,
    updated_at         timestamptz,
    source_run_id      uuid        NOT NULL,
    PRIMARY KEY (shop_domain, inventory_item_id, location_id)
);

-- Customers without personal data: no name, no address, the e-mail address only as its SHA-256.
CREATE TABLE transform.customer (
    shop_domain         text        NOT NULL,
    customer_id         bigint      NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    number_of_orders    bigint      NOT NULL,
    amount_spent_minor  bigint      NOT NULL,
    currency_code       text,
    state               text,
    email_sha256        text,
    source_run_id       uuid        NOT NULL,
    PRIMARY KEY (shop_domain, customer_id)
);

ALTER TABLE transform.upsert_progress ADD COLUMN records bigint NOT NULL DEFAULT 0;
