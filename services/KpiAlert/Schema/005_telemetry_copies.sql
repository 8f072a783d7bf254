-- The products sold on a day (DailySalesUpdated), replaced with their day: the overview's top products.
CREATE TABLE kpi.product_day (
    shop_domain        text    NOT NULL,
    date               date    NOT NULL,
    product_id         bigint  NOT NULL,
    title              text    NOT NULL,
    units              bigint  NOT NULL,
    net_revenue_minor  bigint  NOT NULL,
    PRIMARY KEY (shop_domain, date, product_id)
);

-- Every step change of every run (SyncStepChanged). source: 'shopify', or the marketing source of a marketing run;
-- entity: the Shopify entity a step works on ('' for the run's own steps and for marketing runs).
CREATE TABLE kpi.sync_step (
    run_id       uuid        NOT NULL,
    shop_domain  text        NOT NULL,
    job_type     text        NOT NULL,
    source       text        NOT NULL,
    step         text        NOT NULL,
    status       text        NOT NULL,
    entity       text        NOT NULL DEFAULT '',
    occurred_at  timestamptz NOT NULL,
    counts       jsonb       NOT NULL,
    error        text,
    PRIMARY KEY (run_id, step, status, entity)
);
CREATE INDEX sync_step_shop_time ON kpi.sync_step (shop_domain, occurred_at DESC);

-- Every call the Connector made to a source's API (ApiCallsRecorded), keyed by the event and the call's place in it.
CREATE TABLE kpi.api_call (
    message_id     uuid          NOT NULL,
    seq            integer       NOT NULL,
    run_id         uuid          NOT NULL,
    shop_domain    text          NOT NULL,
    source         text          NOT NULL,
    endpoint       text          NOT NULL,
    called_at      timestamptz   NOT NULL,
    http_status    integer,
    duration_ms    bigint        NOT NULL,
    records        bigint        NOT NULL,
    throttled      boolean       NOT NULL,
    error_code     text,
    usage_percent  numeric(5,2),
    PRIMARY KEY (message_id, seq)
);
CREATE INDEX api_call_shop_time ON kpi.api_call (shop_domain, called_at DESC);
CREATE INDEX api_call_run ON kpi.api_call (run_id);

-- Every answer that asked a run to wait (BulkExtractionDeferred, MarketingFetchDeferred). A marketing deferral names
-- no shop: it is the shop of its run's telemetry.
CREATE TABLE kpi.deferral (
    message_id           uuid        PRIMARY KEY,
    run_id               uuid        NOT NULL,
    shop_domain          text,
    source               text        NOT NULL,
    entity               text,
    error_code           text        NOT NULL,
    reason               text        NOT NULL,
    retry_after_seconds  double precision,
    deferred_at          timestamptz NOT NULL
);
CREATE INDEX deferral_run ON kpi.deferral (run_id);
CREATE INDEX deferral_time ON kpi.deferral (deferred_at DESC);

-- The data-quality results of each run (DataQualityChecked); a repeated event replaces the run's same check.
CREATE TABLE kpi.quality_result (
    run_id       uuid        NOT NULL,
    shop_domain  text        NOT NULL,
    check_name   text        NOT NULL,
    severity     text        NOT NULL,
    violations   bigint      NOT NULL,
    passed       boolean     NOT NULL,
    checked_at   timestamptz NOT NULL,
    PRIMARY KEY (run_id, check_name)
);
