-- One row per sync run: the saga instance. xmin is the optimistic-concurrency version.
CREATE TABLE ingest.bulk_sync_state (
    correlation_id       uuid PRIMARY KEY,
    current_state        text        NOT NULL,
    shop_domain          text        NOT NULL,
    job_type             text        NOT NULL,
    initiator            text        NOT NULL,
    entity               text        NOT NULL,
    requested_at         timestamptz NOT NULL,
    updated_since        timestamptz,
    bulk_operation_id    text,
    poll_attempts        integer     NOT NULL DEFAULT 0,
    object_count         bigint      NOT NULL DEFAULT 0,
    archive_key          text,
    archived_bytes       bigint      NOT NULL DEFAULT 0,
    archived_lines       bigint      NOT NULL DEFAULT 0,
    orders_upserted      bigint      NOT NULL DEFAULT 0,
    line_items_upserted  bigint      NOT NULL DEFAULT 0,
    rows_rejected        bigint      NOT NULL DEFAULT 0,
    max_updated_at       timestamptz,
    first_order_date     date,
    last_order_date      date,
    failed_step          text,
    error                text,
    resume_at            timestamptz,
    wait_token           integer     NOT NULL DEFAULT 0,
    steps                jsonb       NOT NULL DEFAULT '[]'
);

CREATE INDEX bulk_sync_state_resume_at ON ingest.bulk_sync_state (resume_at) WHERE resume_at IS NOT NULL;
CREATE INDEX bulk_sync_state_shop_requested ON ingest.bulk_sync_state (shop_domain, requested_at DESC);

-- How far each shop's entity has been read; advanced only by a run whose every step succeeded.
CREATE TABLE ingest.shop_watermark (
    shop_domain      text        NOT NULL,
    entity           text        NOT NULL,
    updated_through  timestamptz NOT NULL,
    advanced_by_run  uuid        NOT NULL,
    advanced_at      timestamptz NOT NULL,
    PRIMARY KEY (shop_domain, entity)
);
