-- The runs a shop's purge removed, by id alone (no shop, nothing of it): a step of one still on its way, or written by
-- a saga that was under way when its rows went, is never archived again.
CREATE TABLE ingest.purged_run (
    run_id     uuid        PRIMARY KEY,
    purged_at  timestamptz NOT NULL DEFAULT now()
);

-- Each run's archived telemetry object by the SHA-256 of its shop's domain: a shop's purge finds every object of its
-- runs there, even one a run under way wrote after the purge took the run's rows (and so its id) away.
CREATE TABLE ingest.telemetry_object (
    run_id       uuid PRIMARY KEY,
    shop_sha256  text NOT NULL,
    object_key   text NOT NULL
);
CREATE INDEX telemetry_object_shop ON ingest.telemetry_object (shop_sha256);
