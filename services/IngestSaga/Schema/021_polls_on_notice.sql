-- The polls of a run's current operation that Shopify's finish webhook caused (a share of poll_attempts).
ALTER TABLE ingest.bulk_sync_state ADD COLUMN polls_on_notice integer NOT NULL DEFAULT 0;
