-- An event this build cannot publish (a type it does not know, written by another build; a body that is not the type's)
-- is set aside with its reason instead of being claimed again in every batch ahead of the events behind it. A build
-- that knows its type releases it at start.
ALTER TABLE ingest.saga_event_outbox ADD COLUMN set_aside_at timestamptz;
ALTER TABLE ingest.saga_event_outbox ADD COLUMN set_aside_reason text;
DROP INDEX ingest.saga_event_outbox_unpublished;
CREATE INDEX saga_event_outbox_unpublished ON ingest.saga_event_outbox (created_at, seq) WHERE published_at IS NULL AND set_aside_at IS NULL;
