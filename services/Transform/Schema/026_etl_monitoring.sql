-- The ETL design's monitoring, per shop: each pipeline's last execution (its date, status, rows, milliseconds) and the
-- hours since it succeeded, the failures of the last 24 hours with their errors, and the milliseconds per row by day.
CREATE INDEX etl_execution_log_shop ON transform.etl_execution_log (shop_domain, pipeline, finished_at DESC);

DROP VIEW transform.v_etl_status;

CREATE VIEW transform.v_etl_status AS
SELECT p.shop_domain,
       p.pipeline,
       (last.finished_at AT TIME ZONE 'UTC')::date                      AS last_execution_date,
       last.status                                                      AS last_status,
       last.rows                                                        AS last_rows,
       last.milliseconds                                                AS last_milliseconds,
       last.finished_at                                                 AS last_finished_at,
       last.error                                                       AS last_error,
       ok.finished_at                                                   AS last_success_at,
       round(extract(epoch FROM now() - ok.finished_at) / 3600.0, 2)    AS hours_since_success,
       (SELECT round(sum(milliseconds)::numeric / nullif(sum(rows), 0), 4) FROM transform.etl_execution_log l
         WHERE l.shop_domain = p.shop_domain AND l.pipeline = p.pipeline AND l.status = 'succeeded'
           AND l.finished_at >= now() - interval '7 days') AS ms_per_row_7d,
       (SELECT round(sum(milliseconds)::numeric / nullif(sum(rows), 0), 4) FROM transform.etl_execution_log l
         WHERE l.shop_domain = p.shop_domain AND l.pipeline = p.pipeline AND l.status = 'succeeded'
           AND l.finished_at >= now() - interval '14 days' AND l.finished_at < now() - interval '7 days') AS ms_per_row_prior_7d
FROM (SELECT DISTINCT shop_domain, pipeline FROM transform.etl_execution_log) p
LEFT JOIN LATERAL (SELECT status, rows, milliseconds, finished_at, error FROM transform.etl_execution_log l
                    WHERE l.shop_domain = p.shop_domain AND l.pipeline = p.pipeline ORDER BY finished_at DESC, id DESC LIMIT 1) last ON true
LEFT JOIN LATERAL (SELECT finished_at FROM transform.etl_execution_log l
                    WHERE l.shop_domain = p.shop_domain AND l.pipeline = p.pipeline AND l.status = 'succeeded'
                    ORDER BY finished_at DESC, id DESC LIMIT 1) ok ON true;

-- The executions that failed in the last 24 hours, with what failed.
CREATE VIEW transform.v_etl_failures_24h AS
SELECT shop_domain, pipeline, run_id, date_from, date_to, milliseconds, error, finished_at
FROM transform.etl_execution_log
WHERE status = 'failed' AND finished_at >= now() - interval '24 hours';

-- The cost of each pipeline per row, by UTC day over the last 7 days (today included): a rising line is a pipeline
-- slowing down as its shop grows.
CREATE VIEW transform.v_etl_ms_per_row_daily AS
SELECT shop_domain, pipeline, (finished_at AT TIME ZONE 'UTC')::date AS day, count(*) AS executions, sum(rows) AS rows,
       sum(milliseconds) AS milliseconds, round(sum(milliseconds)::numeric / nullif(sum(rows), 0), 4) AS ms_per_row
FROM transform.etl_execution_log
WHERE status = 'succeeded' AND finished_at >= ((now() AT TIME ZONE 'UTC')::date - 6)::timestamp AT TIME ZONE 'UTC'
GROUP BY shop_domain, pipeline, (finished_at AT TIME ZONE 'UTC')::date;
