-- profit_daily: per shop and reporting day, the day's net sales beside the cost of goods of its counted orders and how
-- much of it is known (definitions in Marts/profit_daily.sql). Refreshed with sales_metrics_daily, in its transaction.
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
    refreshed_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, date)
);
