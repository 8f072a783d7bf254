ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN backfill_from   timestamptz,
    ADD COLUMN backfill_before timestamptz;
