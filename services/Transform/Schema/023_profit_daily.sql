-- profit_daily: per shop and reporting day, the day's net sales beside the cost of goods of its counted orders and how
-- much of it is known, and its orders and revenue split by first, repeat and guest orders (definitions in
-- Marts/profit_daily.sql). Refreshed with sales_metrics_daily, in its transaction.
CREATE TABLE transform.profit_daily (
    shop_domain            text        NOT NULL,
    date                   date        NOT NULL,
    currency_code          text        NOT NULL,
    net_sales_minor        bigint      NOT NULL,
    line_net_minor         bigint      NOT NULL,
    costed_line_net_minor  bigint      NOT NULL,
    cogs_minor             bigint      NOT NULL,
    lines                  integer     NOT NULL,
    lines_without_cost     integer     NOT NULL,
    first_orders           integer     NOT NULL,
    first_revenue_minor    bigint      NOT NULL,
    repeat_orders          integer     NOT NULL,
    repeat_revenue_minor   bigint      NOT NULL,
    guest_orders           integer     NOT NULL,
    guest_revenue_minor    bigint      NOT NULL,
    refreshed_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, date)
);

-- A customer's first counted order, found by its customer's orders in order.
CREATE INDEX order_header_customer ON transform.order_header (shop_domain, customer_id, created_at, order_id) WHERE customer_id IS NOT NULL;
