-- The next scheduled sync of each shop. A replica claims a due row (FOR UPDATE SKIP LOCKED), publishes the run with
-- an id derived from shop and due time, and moves next_run_at on: each occurrence runs once, whatever the replicas.
CREATE TABLE ingest.sync_schedule (
    shop_domain   text        PRIMARY KEY,
    cron          text        NOT NULL,
    next_run_at   timestamptz NOT NULL,
    last_run_id   uuid,
    last_fired_at timestamptz
);
