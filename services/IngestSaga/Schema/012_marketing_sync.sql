-- One row per marketing sync run (a shop and one source): the saga instance. xmin is the optimistic-concurrency version.
CREATE TABLE ingest.marketing_sync_state (
    correlation_id    uuid PRIMARY KEY,
    current_state     text        NOT NULL,
    shop_domain       text        NOT NULL,
    source            text        NOT NULL,
    job_type          text        NOT NULL,
    initiator         text        NOT NULL,
    requested_at      timestamptz NOT NULL,
    since             date,
    until             date,
    requested_from    date,
    requested_to      date,
    attempt           integer     NOT NULL DEFAULT 1,
    manifest_key      text,
    pages             integer     NOT NULL DEFAULT 0,
    rows_fetched      bigint      NOT NULL DEFAULT 0,
    archived_bytes    bigint      NOT NULL DEFAULT 0,
    rows_upserted     bigint      NOT NULL DEFAULT 0,
    rows_rejected     bigint      NOT NULL DEFAULT 0,
    is_partial        boolean     NOT NULL DEFAULT false,
    partial_reason    text,
    retry_attempts    integer     NOT NULL DEFAULT 0,
    last_retry_reason text,
    failed_step       text,
    error             text,
    resume_at         timestamptz,
    wait_token        integer     NOT NULL DEFAULT 0,
    steps             jsonb       NOT NULL DEFAULT '[]',
    trace_parent      text
);

CREATE INDEX marketing_sync_state_resume_at ON ingest.marketing_sync_state (resume_at) WHERE resume_at IS NOT NULL;
CREATE INDEX marketing_sync_state_shop_requested ON ingest.marketing_sync_state (shop_domain, requested_at DESC);

-- The last day of each shop's source read whole; advanced only by a run that completed, never past a gap.
CREATE TABLE ingest.marketing_watermark (
    shop_domain     text        NOT NULL,
    source          text        NOT NULL,
    synced_through  date        NOT NULL,
    advanced_by_run uuid        NOT NULL,
    advanced_at     timestamptz NOT NULL,
    PRIMARY KEY (shop_domain, source)
);

-- Schedules are per shop and job: the Shopify sync ('shopify') and each marketing source ('marketing:meta', ...).
ALTER TABLE ingest.sync_schedule ADD COLUMN job text NOT NULL DEFAULT 'shopify';
ALTER TABLE ingest.sync_schedule DROP CONSTRAINT sync_schedule_pkey;
ALTER TABLE ingest.sync_schedule ADD PRIMARY KEY (shop_domain, job);
