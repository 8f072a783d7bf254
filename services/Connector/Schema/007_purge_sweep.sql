-- A purge is swept again a while after it was asked (Connections:PurgeSweepAgainSeconds): whatever a run under way at
-- the time wrote after the first sweep (a download's archived file, a load's rows) goes too. The shop is kept for that,
-- in a column named so that no sweep of shop_domain columns takes it, and forgotten once it is swept again.
ALTER TABLE connector.purge
    ADD COLUMN sweep_shop     text,
    ADD COLUMN sweep_at       timestamptz,
    ADD COLUMN swept_again_at timestamptz;
