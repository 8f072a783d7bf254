-- How far the current entity's load is, reported by the Transform after every chunk it commits.
ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN lines_committed   bigint NOT NULL DEFAULT 0,
    ADD COLUMN records_committed bigint NOT NULL DEFAULT 0;
