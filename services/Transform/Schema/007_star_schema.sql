-- The star schema at daily grain. Dimensions have surrogate keys; facts reference them, never source ids (order and
-- line ids stay on the line fact as degenerate dimensions). Key 0 of the product, customer and channel dimensions of a
-- shop is its "unknown" member (a line without a variant, a guest order, an order without a channel).
CREATE TABLE transform.dim_date (
    date_key     integer PRIMARY KEY,          -- yyyymmdd
    date         date    NOT NULL UNIQUE,
    year         integer NOT NULL,
    quarter      integer NOT NULL,
    month        integer NOT NULL,
    day          integer NOT NULL,
    iso_week     integer NOT NULL,
    day_of_week  integer NOT NULL,             -- ISO: 1 Monday … 7 Sunday
    is_weekend   boolean NOT NULL
);
INSERT INTO transform.dim_date
SELECT to_char(d, 'YYYYMMDD')::int, d::date, extract(year FROM d), extract(quarter FROM d), extract(month FROM d), extract(day FROM d),
       extract(week FROM d), extract(isodow FROM d), extract(isodow FROM d) IN (6, 7)
FROM generate_series(date '2010-01-01', date '2040-12-31', interval '1 day') AS d;

CREATE TABLE transform.dim_shop (
    shop_key             serial  PRIMARY KEY,
    shop_domain          text    NOT NULL UNIQUE,
    currency_code        text,
    reporting_time_zone  text    NOT NULL DEFAULT 'UTC'
);

CREATE TABLE transform.dim_channel (
    channel_key  serial PRIMARY KEY,
    source_name  text   NOT NULL UNIQUE          -- '' is the unknown channel
);
INSERT INTO transform.dim_channel (channel_key, source_name) VALUES (0, '');

CREATE TABLE transform.dim_product (
    product_key    bigserial PRIMARY KEY,
    shop_key       integer   NOT NULL REFERENCES transform.dim_shop,
    variant_id     bigint    NOT NULL,           -- 0: unknown
    product_id     bigint,
    sku            text,
    product_title  text,
    variant_title  text,
    vendor         text,
    product_type   text,
    UNIQUE (shop_key, variant_id)
);

CREATE TABLE transform.dim_customer (
    customer_key   bigserial PRIMARY KEY,
    shop_key       integer   NOT NULL REFERENCES transform.dim_shop,
    customer_id    bigint    NOT NULL,           -- 0: guest or unknown
    state          text,
    first_order_at timestamptz,
    UNIQUE (shop_key, customer_id)
);

-- One row per order line of a counted order (not test, not cancelled), on its order's reporting day.
CREATE TABLE transform.fact_order_line (
    shop_key        integer NOT NULL REFERENCES transform.dim_shop,
    line_item_id    bigint  NOT NULL,
    order_id        bigint  NOT NULL,
    date_key        integer NOT NULL REFERENCES transform.dim_date,
    product_key     bigint  NOT NULL REFERENCES transform.dim_product,
    customer_key    bigint  NOT NULL REFERENCES transform.dim_customer,
    channel_key     integer NOT NULL REFERENCES transform.dim_channel,
    quantity        integer NOT NULL,
    gross_minor     bigint  NOT NULL,            -- unit price × quantity
    discount_minor  bigint  NOT NULL,
    net_minor       bigint  NOT NULL,            -- gross − discount
    PRIMARY KEY (shop_key, line_item_id)
);
CREATE INDEX fact_order_line_date ON transform.fact_order_line (shop_key, date_key);

-- Per shop, day and channel: counted orders, their revenue (totalPriceSet) and the units and gross of their lines.
CREATE TABLE transform.fact_daily_sales (
    shop_key       integer NOT NULL REFERENCES transform.dim_shop,
    date_key       integer NOT NULL REFERENCES transform.dim_date,
    channel_key    integer NOT NULL REFERENCES transform.dim_channel,
    orders         integer NOT NULL,
    customers      integer NOT NULL,
    units          bigint  NOT NULL,
    revenue_minor  bigint  NOT NULL,
    gross_minor    bigint  NOT NULL,
    PRIMARY KEY (shop_key, date_key, channel_key)
);
