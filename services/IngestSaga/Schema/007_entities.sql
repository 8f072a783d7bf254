-- A run extracts its entities one after the other: the ones still to come, what became of each one done, and
-- whether the current one's data is partial.
ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN pending_entities jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN entity_outcomes  jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN entity_partial   boolean NOT NULL DEFAULT false,
    ADD COLUMN records_upserted bigint NOT NULL DEFAULT 0;
