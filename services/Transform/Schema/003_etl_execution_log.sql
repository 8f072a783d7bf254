-- One row per pipeline execution: what ran, for which shop and dates, how long, how many rows, and how it ended.
CREATE TABLE transform.etl_execution_log (
    id            bigserial   PRIMARY KEY,
    pipeline      text        NOT NULL,
    run_id        uuid,
    shop_domain   text        NOT NULL,
    date_from     date        NOT NULL,
    date_to       date        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    rows          bigint      NOT NULL DEFAULT 0,
    milliseconds  bigint      NOT NULL,
    error         text,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz NOT NULL
);
CREATE INDEX etl_execution_log_pipeline ON transform.etl_execution_log (pipeline, finished_at DESC);

-- Per pipeline: its last execution, its last success, the hours since that success, and its cost per row over the
-- last 7 days against the 7 before (milliseconds per row; a rising trend means the pipeline is slowing down).
CREATE VIEW transform.v_etl_status AS
SELECT p.pipeline,
       last.status                                                      AS last_status,
       last.finished_at                                                 AS last_finished_at,
       last.error                                                       AS last_error,
       ok.finished_at                                                   AS last_success_at,
       round(extract(epoch FROM now() - ok.finished_at) / 3600.0, 2)    AS hours_since_success,
       (SELECT round(sum(milliseconds)::numeric / nullif(sum(rows), 0), 4) FROM transform.etl_execution_log l
         WHERE l.pipeline = p.pipeline AND l.status = 'succeeded' AND l.finished_at >= now() - interval '7 days') AS ms_per_row_7d,
       (SELECT round(sum(milliseconds)::numeric / nullif(sum(rows), 0), 4) FROM transform.etl_execution_log l
         WHERE l.pipeline = p.pipeline AND l.status = 'succeeded'
           AND l.finished_at >= now() - interval '14 days' AND l.finished_at < now() - interval '7 days') AS ms_per_row_prior_7d
FROM (SELECT DISTINCT pipeline FROM transform.etl_execution_log) p
LEFT JOIN LATERAL (SELECT status, finished_at, error FROM transform.etl_execution_log l
                    WHERE l.pipeline = p.pipeline ORDER BY finished_at DESC LIMIT 1) last ON true
LEFT JOIN LATERAL (SELECT finished_at FROM transform.etl_execution_log l
                    WHERE l.pipeline = p.pipeline AND l.status = 'succeeded' ORDER BY finished_at DESC LIMIT 1) ok ON true;
