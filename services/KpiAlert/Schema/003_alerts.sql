-- Alerts: one open per shop, rule and subject ('' when the rule names none) while its condition holds; resolved when
-- it clears. Each keeps the figures that raised it and those of its latest evaluation.
CREATE TABLE kpi.alert (
    alert_id          uuid        PRIMARY KEY,
    shop_domain       text        NOT NULL,
    rule              text        NOT NULL,
    subject           text        NOT NULL,
    severity          text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('open', 'resolved')),
    message           text        NOT NULL,
    recommendation    text        NOT NULL,
    raised_figures    jsonb       NOT NULL,
    latest_figures    jsonb       NOT NULL,
    raised_at         timestamptz NOT NULL,
    evaluated_at      timestamptz NOT NULL,
    resolved_at       timestamptz
);
CREATE UNIQUE INDEX alert_one_open ON kpi.alert (shop_domain, rule, subject) WHERE status = 'open';
CREATE INDEX alert_shop_status ON kpi.alert (shop_domain, status, raised_at DESC);
