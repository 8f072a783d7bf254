-- How far each load of a run is, reported by the Transform after every chunk it commits. Kept beside the saga row,
-- not in it: a report per chunk would contend with the run's own transitions for the row's version.
CREATE TABLE ingest.load_progress (
    run_id            uuid        NOT NULL,
    archive_key       text        NOT NULL,
    lines_committed   bigint      NOT NULL,
    records_committed bigint      NOT NULL,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (run_id, archive_key)
);
