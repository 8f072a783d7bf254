-- Daily sales as the Transform service reported them (DailySalesUpdated): this service's own copy.
CREATE TABLE kpi.daily_sales (
    shop_domain    text    NOT NULL,
    date           date    NOT NULL,
    currency_code  text    NOT NULL,
    orders         integer NOT NULL,
    revenue_minor  bigint  NOT NULL,
    PRIMARY KEY (shop_domain, date)
);

-- KPI values of the 7 days ending as_of against the 7 days before.
CREATE TABLE kpi.kpi_snapshot (
    shop_domain          text        NOT NULL,
    as_of                date        NOT NULL,
    kpi                  text        NOT NULL,
    currency_code        text        NOT NULL,
    current_value        bigint      NOT NULL,
    previous_value       bigint      NOT NULL,
    change_basis_points  bigint,
    computed_at          timestamptz NOT NULL DEFAULT now(),
    run_id               uuid        NOT NULL,
    PRIMARY KEY (shop_domain, as_of, kpi)
);
