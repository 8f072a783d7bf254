-- Gaps a daily sync found (SyncGapFound): the shop went unsynced longer than a daily read reaches back, and a backfill
-- run reads what changed meanwhile. The sync_gap rule holds while a gap is not filled: its backfill has not completed whole.
CREATE TABLE kpi.sync_gap (
    backfill_run_id uuid        PRIMARY KEY,
    shop_domain     text        NOT NULL,
    entity          text        NOT NULL,
    gap_from        timestamptz NOT NULL,
    floor           timestamptz NOT NULL,
    found_by        uuid        NOT NULL,
    found_at        timestamptz NOT NULL,
    filled_at       timestamptz
);
CREATE INDEX sync_gap_open ON kpi.sync_gap (shop_domain) WHERE filled_at IS NULL;

-- The backfills that completed whole, so a gap heard of after its backfill's completion is filled at once.
CREATE TABLE kpi.backfill_completed (
    run_id       uuid        PRIMARY KEY,
    completed_at timestamptz NOT NULL
);
