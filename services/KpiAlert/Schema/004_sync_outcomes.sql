-- The syncs that ended, as their events told (SyncCompleted, MarketingSyncCompleted): the pipeline_missing rule finds
-- the expected ones without a recent success. job: 'shopify' for the daily Shopify sync, 'marketing:{source}'.
CREATE TABLE kpi.sync_outcome (
    run_id       uuid        PRIMARY KEY,
    shop_domain  text        NOT NULL,
    job          text        NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('completed', 'partial')),
    ended_at     timestamptz NOT NULL
);
CREATE INDEX sync_outcome_shop_job ON kpi.sync_outcome (shop_domain, job, ended_at DESC);

-- The latest stock snapshot's variants not in stock (StockAlertsUpdated), replaced whole by a newer snapshot.
CREATE TABLE kpi.stock_alert (
    shop_domain         text          NOT NULL,
    variant_id          bigint        NOT NULL,
    product_id          bigint,
    sku                 text,
    title               text,
    stock_status        text          NOT NULL,
    velocity_tier       text          NOT NULL,
    daily_velocity      numeric(12,4) NOT NULL,
    days_of_cover       numeric(12,2),
    quantity_available  integer       NOT NULL,
    snapshot_date       date          NOT NULL,
    computed_at         timestamptz   NOT NULL,
    PRIMARY KEY (shop_domain, variant_id)
);
