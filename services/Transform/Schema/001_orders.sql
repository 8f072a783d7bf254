-- Orders as Shopify reports them, one row per shop and order; money in minor units of the shop currency
-- (presentment total beside it in the presentment currency). Later updates win by updated_at.
CREATE TABLE transform.order_header (
    shop_domain                text        NOT NULL,
    order_id                   bigint      NOT NULL,
    name                       text        NOT NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    processed_at               timestamptz,
    cancelled_at               timestamptz,
    is_test                    boolean     NOT NULL,
    source_name                text,
    financial_status           text,
    fulfillment_status         text,
    currency_code              text        NOT NULL,
    presentment_currency_code  text        NOT NULL,
    customer_id                bigint,
    subtotal_minor             bigint      NOT NULL,
    total_minor                bigint      NOT NULL,
    total_discounts_minor      bigint      NOT NULL,
    total_tax_minor            bigint      NOT NULL,
    total_shipping_minor       bigint      NOT NULL,
    total_refunded_minor       bigint      NOT NULL,
    total_presentment_minor    bigint      NOT NULL,
    source_run_id              uuid        NOT NULL,
    loaded_at                  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, order_id)
);
CREATE INDEX order_header_created ON transform.order_header (shop_domain, created_at);

-- Line items, joined to their order by (shop_domain, order_id) whatever order the JSONL gave them in.
CREATE TABLE transform.order_line_item (
    shop_domain          text    NOT NULL,
    line_item_id         bigint  NOT NULL,
    order_id             bigint  NOT NULL,
    sku                  text,
    title                text    NOT NULL,
    quantity             integer NOT NULL,
    current_quantity     integer NOT NULL,
    unit_price_minor     bigint  NOT NULL,
    total_discount_minor bigint  NOT NULL,
    currency_code        text    NOT NULL,
    product_id           bigint,
    variant_id           bigint,
    vendor               text,
    source_run_id        uuid    NOT NULL,
    PRIMARY KEY (shop_domain, line_item_id)
);
CREATE INDEX order_line_item_order ON transform.order_line_item (shop_domain, order_id);

-- Lines of a bulk file that could not be loaded, with the reason: nothing is dropped silently.
CREATE TABLE transform.rejected_record (
    run_id       uuid        NOT NULL,
    line_number  bigint      NOT NULL,
    record_type  text,
    external_id  text,
    reason       text        NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, line_number)
);

-- Daily sales per shop and UTC date; see DailySales/sales_metrics_daily.sql for the definitions.
CREATE TABLE transform.sales_metrics_daily (
    shop_domain    text    NOT NULL,
    date           date    NOT NULL,
    currency_code  text    NOT NULL,
    orders         integer NOT NULL,
    revenue_minor  bigint  NOT NULL,
    refreshed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, date)
);
