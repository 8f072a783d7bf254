-- A daily sync reads back to the floor at most. A shop left unsynced longer than that has a watermark older than the
-- floor: the changes between them are a gap, which a backfill run reads (the orders updated since the watermark minus
-- the lookback, gap_since). One row per gap, so a request repeated after a crash names the same backfill run.
CREATE TABLE ingest.shop_gap (
    shop_domain     text        NOT NULL,
    entity          text        NOT NULL,
    gap_since       timestamptz NOT NULL,
    backfill_run_id uuid        NOT NULL,
    requested_by    uuid        NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, entity, gap_since)
);

ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN gap_since timestamptz,
    ADD COLUMN gap_run_id uuid;
