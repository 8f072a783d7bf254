-- Orders per shop and reporting day, every day from the shop's first order to yesterday, zero when there were none.
-- Test orders are left out; cancelled orders count (the integration handled them).
CREATE TABLE transform.integration_usage_daily (
    shop_domain   text        NOT NULL,
    date          date        NOT NULL,
    orders        integer     NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, date)
);

-- The last 30 reporting days up to yesterday of each shop, per sales channel and for all channels ('*'). Rebuilt
-- whole, weekly or on demand, in one transaction: a reader sees the previous rows until the new ones are committed.
CREATE TABLE transform.rolling_30d_stats (
    shop_domain    text        NOT NULL,
    channel        text        NOT NULL,
    window_start   date        NOT NULL,
    window_end     date        NOT NULL,
    orders         bigint      NOT NULL,
    revenue_minor  bigint      NOT NULL,
    customers      bigint      NOT NULL,
    units          bigint      NOT NULL,
    currency_code  text,
    refreshed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, channel)
);

CREATE SCHEMA IF NOT EXISTS measurement;

-- Per shop, day of measurement and product: units and net revenue (lines' gross less discounts) of the 7 and 30 days
-- before that day. Re-running a day replaces its rows; the same rows go to S3 as JSONL under a dated key.
CREATE TABLE measurement.sales (
    shop_domain        text    NOT NULL,
    measured_on        date    NOT NULL,
    product_id         bigint  NOT NULL,      -- 0: lines without a product
    product_title      text,
    units_7d           bigint  NOT NULL,
    revenue_7d_minor   bigint  NOT NULL,
    units_30d          bigint  NOT NULL,
    revenue_30d_minor  bigint  NOT NULL,
    currency_code      text,
    PRIMARY KEY (shop_domain, measured_on, product_id)
);

-- How each product performs: its rank and share of the shop's 30-day revenue, and its last 7 days against the 7 before.
CREATE TABLE measurement.performance (
    shop_domain          text          NOT NULL,
    measured_on          date          NOT NULL,
    product_id           bigint        NOT NULL,
    product_title        text,
    revenue_rank_30d     integer       NOT NULL,
    revenue_share_30d    numeric(7, 4) NOT NULL,
    revenue_7d_minor     bigint        NOT NULL,
    revenue_prior_7d_minor bigint      NOT NULL,
    growth_7d            numeric(12, 4),           -- (last 7 − prior 7) / prior 7; null when the prior 7 days sold nothing
    PRIMARY KEY (shop_domain, measured_on, product_id)
);
