ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN result_url        text,
    ADD COLUMN retry_attempts    integer NOT NULL DEFAULT 0,
    ADD COLUMN last_retry_reason text;
