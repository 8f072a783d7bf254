-- How far the load of an archived file in a run has committed: a resumed load starts after lines_committed.
CREATE TABLE transform.upsert_progress (
    run_id            uuid        NOT NULL,
    archive_key       text        NOT NULL,
    chunk_size        integer     NOT NULL,
    lines_committed   bigint      NOT NULL,
    orders            bigint      NOT NULL,
    line_items        bigint      NOT NULL,
    rejected          bigint      NOT NULL,
    max_updated_at    timestamptz,
    first_order_date  date,
    last_order_date   date,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (run_id, archive_key)
);
