-- The whole of daily sales (definitions in DailySales/sales_metrics_daily.sql and the README).
ALTER TABLE transform.sales_metrics_daily
    ADD COLUMN aov_minor          bigint        NOT NULL DEFAULT 0,
    ADD COLUMN gross_sales_minor  bigint        NOT NULL DEFAULT 0,
    ADD COLUMN discounts_minor    bigint        NOT NULL DEFAULT 0,
    ADD COLUMN refunds_minor      bigint        NOT NULL DEFAULT 0,
    ADD COLUMN net_sales_minor    bigint        NOT NULL DEFAULT 0,
    ADD COLUMN orders_fulfilled   integer       NOT NULL DEFAULT 0,
    ADD COLUMN fulfillment_rate   numeric(7, 4) NOT NULL DEFAULT 0;

-- The last 30 days of each shop up to yesterday (in the shop's reporting day), with totals; AOV and fulfillment rate
-- are recomputed from the sums, never averaged.
CREATE VIEW transform.v_sales_pulse_30d AS
SELECT shop_domain,
       min(currency_code)                                                        AS currency_code,
       min(date)                                                                 AS date_from,
       max(date)                                                                 AS date_to,
       sum(orders)::bigint                                                       AS orders,
       sum(revenue_minor)::bigint                                                AS revenue_minor,
       CASE WHEN sum(orders) = 0 THEN 0 ELSE round(sum(revenue_minor)::numeric / sum(orders))::bigint END AS aov_minor,
       sum(gross_sales_minor)::bigint                                            AS gross_sales_minor,
       sum(discounts_minor)::bigint                                              AS discounts_minor,
       sum(refunds_minor)::bigint                                                AS refunds_minor,
       sum(net_sales_minor)::bigint                                              AS net_sales_minor,
       sum(orders_fulfilled)::bigint                                             AS orders_fulfilled,
       CASE WHEN sum(orders) = 0 THEN 0 ELSE round(sum(orders_fulfilled)::numeric / sum(orders), 4) END AS fulfillment_rate
FROM transform.sales_metrics_daily
WHERE date > (now() AT TIME ZONE 'UTC')::date - 31 AND date < (now() AT TIME ZONE 'UTC')::date
GROUP BY shop_domain;

-- Stock of each variant on each snapshot date: what is available across locations, how fast it sells (units of the
-- last 30 days), how many days that stock lasts, and the status and tier the thresholds (Marts:Inventory) give.
CREATE TABLE transform.inventory_snapshots (
    shop_domain         text          NOT NULL,
    snapshot_date       date          NOT NULL,
    variant_id          bigint        NOT NULL,
    product_id          bigint,
    sku                 text,
    product_title       text,
    variant_title       text,
    quantity_available  integer       NOT NULL,
    locations           integer       NOT NULL,
    units_sold_30d      integer       NOT NULL,
    daily_velocity      numeric(12, 4) NOT NULL,
    days_of_cover       numeric(12, 1),
    stock_status        text          NOT NULL CHECK (stock_status IN ('out_of_stock', 'low_stock', 'in_stock', 'overstock')),
    velocity_tier       text          NOT NULL CHECK (velocity_tier IN ('fast', 'medium', 'slow', 'stagnant')),
    refreshed_at        timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, snapshot_date, variant_id)
);

-- The latest snapshot's variants that need attention: out of stock, low, or overstocked.
CREATE VIEW transform.v_inventory_alerts AS
SELECT s.*,
       CASE s.stock_status WHEN 'out_of_stock' THEN 'critical' WHEN 'low_stock' THEN 'warning' ELSE 'info' END AS severity
FROM transform.inventory_snapshots s
JOIN (SELECT shop_domain, max(snapshot_date) AS snapshot_date FROM transform.inventory_snapshots GROUP BY shop_domain) latest
  USING (shop_domain, snapshot_date)
WHERE s.stock_status <> 'in_stock';

-- Each customer with at least one order: lifetime orders and spend (Shopify's counts when the customer was extracted,
-- else the orders loaded), segment and lifecycle stage as of as_of_date.
CREATE TABLE transform.customer_segments (
    shop_domain          text        NOT NULL,
    customer_id          bigint      NOT NULL,
    as_of_date           date        NOT NULL,
    orders               bigint      NOT NULL,
    spent_minor          bigint      NOT NULL,
    currency_code        text,
    aov_minor            bigint      NOT NULL,
    first_order_at       timestamptz,
    last_order_at        timestamptz,
    days_since_last_order integer,
    segment              text        NOT NULL,
    lifecycle_stage      text        NOT NULL CHECK (lifecycle_stage IN ('active', 'at_risk', 'churned')),
    refreshed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, customer_id)
);

CREATE VIEW transform.v_customer_segment_summary AS
SELECT shop_domain, as_of_date, segment, lifecycle_stage,
       count(*)                        AS customers,
       sum(orders)::bigint             AS orders,
       sum(spent_minor)::bigint        AS spent_minor,
       round(avg(aov_minor))::bigint   AS average_aov_minor,
       min(currency_code)              AS currency_code
FROM transform.customer_segments
GROUP BY shop_domain, as_of_date, segment, lifecycle_stage;
