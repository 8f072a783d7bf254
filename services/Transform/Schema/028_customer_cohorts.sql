-- The customer mart behind the cohorts (definitions in Marts/customer_daily.sql), refreshed with sales_metrics_daily
-- for the same reporting days: what each customer bought and was refunded each day, and each customer's first and
-- second counted order. A cohort read sums the days of its members instead of every order they ever placed.
CREATE TABLE transform.customer_daily (
    shop_domain           text        NOT NULL,
    customer_id           bigint      NOT NULL,
    date                  date        NOT NULL,
    orders                integer     NOT NULL,
    net_minor             bigint      NOT NULL,
    gross_profit_minor    bigint      NOT NULL,
    PRIMARY KEY (shop_domain, customer_id, date)
);

CREATE TABLE transform.customer_cohort (
    shop_domain     text        NOT NULL,
    customer_id     bigint      NOT NULL,
    first_date      date        NOT NULL,
    first_order_id  bigint      NOT NULL,
    first_order_at  timestamptz NOT NULL,
    channel         text        NOT NULL,
    discount_codes  text[],
    second_date     date,
    PRIMARY KEY (shop_domain, customer_id)
);

CREATE INDEX customer_cohort_first_date ON transform.customer_cohort (shop_domain, first_date);

-- The shops whose customer mart holds their whole history. A shop's orders loaded before the mart existed are not in it:
-- its next refresh, whatever its days, builds the customers' days from its first order on, then records the shop here.
CREATE TABLE transform.customer_mart (
    shop_domain  text        PRIMARY KEY,
    built_at     timestamptz NOT NULL DEFAULT now()
);
