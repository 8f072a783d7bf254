-- The W3C trace context of the request that started a run, so work done later on its behalf joins the same trace.
ALTER TABLE ingest.bulk_sync_state ADD COLUMN trace_parent text;
