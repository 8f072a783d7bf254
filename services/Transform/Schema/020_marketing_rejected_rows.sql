-- Each marketing load keeps how many rows it loaded and how many it left out, so a check can name the source whose
-- latest load was mostly rejected (an export without the fields the loader needs) instead of its spend silently zero.
ALTER TABLE transform.marketing_synced_range ADD COLUMN rows bigint NOT NULL DEFAULT 0;
ALTER TABLE transform.marketing_synced_range ADD COLUMN rejected bigint NOT NULL DEFAULT 0;
