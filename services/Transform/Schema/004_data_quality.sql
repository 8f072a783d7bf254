-- The outcome of every data-quality check after every run: how many rows violate it, and whether that passes.
CREATE TABLE transform.data_quality_result (
    id           bigserial   PRIMARY KEY,
    run_id       uuid,
    shop_domain  text        NOT NULL,
    check_name   text        NOT NULL,
    severity     text        NOT NULL CHECK (severity IN ('critical', 'warning')),
    violations   bigint      NOT NULL,
    passed       boolean     NOT NULL,
    checked_at   timestamptz NOT NULL
);
CREATE INDEX data_quality_result_latest ON transform.data_quality_result (shop_domain, check_name, checked_at DESC);
