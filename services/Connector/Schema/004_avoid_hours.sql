-- The hours of the shop's day (on its own clocks) its syncs keep out of: when its other apps or its sales use the
-- Admin API's rate limit most. Its default schedule falls outside them, and a schedule that fires in one is refused.
ALTER TABLE connector.connection ADD COLUMN avoid_hours integer[] NOT NULL DEFAULT '{}';
