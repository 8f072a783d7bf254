-- E-mail staging, from Klaviyo: each e-mail (a flow's message or a campaign's) with its flow or campaign and whether
-- Klaviyo sends it as transactional, and what it did each day: a flow e-mail by the days of Klaviyo's daily series, a
-- campaign e-mail on the day it was sent (in the account's zone) with everything Klaviyo attributes to that send. A day
-- read again replaces the source's rows of that day, as for the other marketing sources.
CREATE TABLE transform.email_message (
    shop_domain    text        NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('flow', 'campaign')),
    message_id     text        NOT NULL,
    account_id     text        NOT NULL,
    parent_id      text        NOT NULL,                     -- the flow's or the campaign's id
    parent_name    text,
    message_name   text,
    transactional  boolean     NOT NULL DEFAULT false,       -- a flow e-mail Klaviyo approved as transactional
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, kind, message_id)
);

CREATE TABLE transform.email_message_day (
    shop_domain    text          NOT NULL,
    kind           text          NOT NULL CHECK (kind IN ('flow', 'campaign')),
    message_id     text          NOT NULL,
    day            date          NOT NULL,
    account_id     text          NOT NULL,
    currency_code  text          NOT NULL,                   -- the account's
    recipients     bigint        NOT NULL,
    delivered      bigint        NOT NULL,
    opens          bigint        NOT NULL,                   -- unique opens
    clicks         bigint        NOT NULL,                   -- unique clicks
    unsubscribes   bigint        NOT NULL,
    bounces        bigint        NOT NULL,
    conversions    numeric(18,4) NOT NULL,
    revenue_minor  bigint        NOT NULL,                   -- the value Klaviyo attributes (Placed Order), in the account's currency
    source_run_id  uuid          NOT NULL,
    manifest_key   text          NOT NULL,
    loaded_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, kind, message_id, day)
);
CREATE INDEX email_message_day_day ON transform.email_message_day (shop_domain, day);

-- The e-mail mart: per shop, day, channel kind and message, what it sent and what it earned; the revenue is counted in
-- the shop's currency only (comparable): an account reporting in another one keeps its revenue out, and says so.
CREATE VIEW transform.email_daily AS
SELECT d.shop_domain, d.day AS date, d.kind, d.message_id, m.parent_id, m.parent_name, m.message_name, COALESCE(m.transactional, false) AS transactional,
       d.recipients, d.delivered, d.opens, d.clicks, d.unsubscribes, d.bounces, d.conversions,
       CASE WHEN d.currency_code IS NOT DISTINCT FROM COALESCE(transform.shop_currency(d.shop_domain), d.currency_code) THEN d.revenue_minor ELSE 0 END
           AS revenue_minor,
       COALESCE(transform.shop_currency(d.shop_domain), d.currency_code) AS currency_code,
       d.currency_code IS NOT DISTINCT FROM COALESCE(transform.shop_currency(d.shop_domain), d.currency_code) AS comparable
FROM transform.email_message_day d
LEFT JOIN transform.email_message m ON m.shop_domain = d.shop_domain AND m.kind = d.kind AND m.message_id = d.message_id;

-- The usage design's 30-day sending statistics per shop, rebuilt whole weekly and on demand in one transaction with
-- rolling_30d_stats: e-mails sent (Klaviyo's recipients) in the last 30 reporting days up to yesterday, split into
-- automation (flow e-mails), campaign and transactional (flow e-mails Klaviyo sends as transactional).
CREATE TABLE transform.sending_stats_30d (
    shop_domain              text        PRIMARY KEY,
    window_start             date        NOT NULL,
    window_end               date        NOT NULL,
    emails_30d               bigint      NOT NULL,
    automation_emails_30d    bigint      NOT NULL,
    campaign_emails_30d      bigint      NOT NULL,
    transactional_emails_30d bigint      NOT NULL,
    updated_at               timestamptz NOT NULL
);
