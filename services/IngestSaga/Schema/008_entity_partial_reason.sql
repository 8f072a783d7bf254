-- Why the current entity's data is partial, kept apart from the last retry's reason, which a later retry overwrites.
ALTER TABLE ingest.bulk_sync_state ADD COLUMN entity_partial_reason text;
