ALTER TABLE ingest.bulk_sync_state ADD COLUMN is_partial boolean NOT NULL DEFAULT false;
