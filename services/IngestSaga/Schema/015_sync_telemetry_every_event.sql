-- Every step change of every entity is kept: the key was (run_id, step, status), so the second entity's "upserting
-- started" of a run was dropped as a repeat of the first's. An event is now kept by its id (its message id, derived from
-- the run and its place in it, the same on a redelivery), and names its entity.
ALTER TABLE ingest.sync_telemetry ADD COLUMN entity text;
ALTER TABLE ingest.sync_telemetry ADD COLUMN event_id uuid;
UPDATE ingest.sync_telemetry SET event_id = gen_random_uuid() WHERE event_id IS NULL;
ALTER TABLE ingest.sync_telemetry ALTER COLUMN event_id SET NOT NULL;
ALTER TABLE ingest.sync_telemetry DROP CONSTRAINT sync_telemetry_pkey;
ALTER TABLE ingest.sync_telemetry ADD PRIMARY KEY (run_id, event_id);
