-- SLA and anomaly co-movement: what an alert's data lacked at its latest evaluation (the pipelines late or incomplete,
-- each with why; null when whole), whether that held a critical alert back to warning, and every pipeline that was
-- incomplete while it was open (the pipelines view lists the alerts that moved with each outage).
ALTER TABLE kpi.alert
    ADD COLUMN data_incomplete       jsonb,
    ADD COLUMN held_back             boolean NOT NULL DEFAULT false,
    ADD COLUMN incomplete_pipelines  text[]  NOT NULL DEFAULT '{}';
CREATE INDEX alert_incomplete_pipelines ON kpi.alert USING gin (incomplete_pipelines);
