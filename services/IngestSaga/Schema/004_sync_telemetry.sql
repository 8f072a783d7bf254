-- Every step change of every run, as published on the bus (SyncStepChanged). A redelivered event is stored once.
CREATE TABLE ingest.sync_telemetry (
    run_id       uuid        NOT NULL,
    shop_domain  text        NOT NULL,
    job_type     text        NOT NULL,
    step         text        NOT NULL,
    status       text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    counts       jsonb       NOT NULL,
    error        text,
    PRIMARY KEY (run_id, step, status)
);
