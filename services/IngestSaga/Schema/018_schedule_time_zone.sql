-- A schedule fires on its shop's clocks (a connected shop's cron is read in its own time zone): its next run is worked
-- out again when its cron or its zone changes.
ALTER TABLE ingest.sync_schedule ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
