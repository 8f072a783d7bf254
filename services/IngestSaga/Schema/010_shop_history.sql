-- A new shop's history: its first daily sync reads only back to the watermark floor, so once that sync has loaded its
-- orders whole, a backfill run loads every order created before the floor. One row per shop: it is asked for once.
CREATE TABLE ingest.shop_history (
    shop_domain     text        PRIMARY KEY,
    backfill_run_id uuid        NOT NULL,
    before_date     date        NOT NULL,
    requested_by    uuid        NOT NULL,
    requested_at    timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE ingest.bulk_sync_state
    ADD COLUMN history_before date,
    ADD COLUMN history_run_id uuid;
