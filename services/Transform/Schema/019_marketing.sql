-- Marketing staging: what each source reported, one row per shop, source, campaign (or channel group) and day, the
-- platform's reporting day. A day read again replaces the source's rows of that day (the upsert deletes the days its
-- archive covers first), so revised figures never add up.
CREATE TABLE transform.ad_campaign_day (
    shop_domain            text          NOT NULL,
    source                 text          NOT NULL,           -- meta, google_ads
    account_id             text          NOT NULL,           -- act_…, customers/…
    campaign_id            text          NOT NULL,
    day                    date          NOT NULL,
    campaign_name          text          NOT NULL,
    currency_code          text          NOT NULL,           -- the account's
    spend_minor            bigint        NOT NULL,
    impressions            bigint        NOT NULL,
    clicks                 bigint        NOT NULL,
    conversions            numeric(18,4) NOT NULL,           -- the platform's: Meta's purchases, Google's (fractional) conversions
    conversion_value_minor bigint        NOT NULL,
    source_run_id          uuid          NOT NULL,
    manifest_key           text          NOT NULL,
    loaded_at              timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, source, campaign_id, day)
);

CREATE TABLE transform.traffic_channel_day (
    shop_domain    text          NOT NULL,
    property_id    text          NOT NULL,
    day            date          NOT NULL,
    channel_group  text          NOT NULL,                   -- GA4's sessionDefaultChannelGroup
    currency_code  text          NOT NULL,
    sessions       bigint        NOT NULL,
    users          bigint        NOT NULL,
    key_events     numeric(18,4) NOT NULL,
    revenue_minor  bigint        NOT NULL,
    source_run_id  uuid          NOT NULL,
    manifest_key   text          NOT NULL,
    loaded_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, day, channel_group)
);

-- Each account a source reported for a shop, with the currency and time zone it reports in (when the source says).
CREATE TABLE transform.marketing_account (
    shop_domain    text        NOT NULL,
    source         text        NOT NULL,
    account_id     text        NOT NULL,
    currency_code  text        NOT NULL,
    time_zone      text,
    seen_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, source, account_id, currency_code)
);

-- The days each load covered, whatever rows it had: a day with no delivery is synced, not missing.
CREATE TABLE transform.marketing_synced_range (
    shop_domain   text        NOT NULL,
    source        text        NOT NULL,
    since         date        NOT NULL,
    until         date        NOT NULL,
    manifest_key  text        NOT NULL,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, source, manifest_key)
);

-- The star gains the campaigns and GA4's channel groups, and a fact of each at daily grain, on surrogate keys.
CREATE TABLE transform.dim_campaign (
    campaign_key  bigserial PRIMARY KEY,
    shop_key      integer   NOT NULL,
    source        text      NOT NULL,
    external_id   text      NOT NULL,
    name          text      NOT NULL,
    channel       text      NOT NULL,                        -- the GA4 default channel group its traffic lands in
    UNIQUE (shop_key, source, external_id)
);

CREATE TABLE transform.dim_channel_group (
    channel_group_key  serial PRIMARY KEY,
    name               text   NOT NULL UNIQUE
);

-- comparable: the account reports in the shop's currency; other rows stay out of the shop's sums.
CREATE TABLE transform.fact_ad_daily (
    shop_key               integer       NOT NULL,
    date_key               integer       NOT NULL,
    campaign_key           bigint        NOT NULL,
    currency_code          text          NOT NULL,
    comparable             boolean       NOT NULL,
    spend_minor            bigint        NOT NULL,
    impressions            bigint        NOT NULL,
    clicks                 bigint        NOT NULL,
    conversions            numeric(18,4) NOT NULL,
    conversion_value_minor bigint        NOT NULL,
    PRIMARY KEY (shop_key, date_key, campaign_key)
);

CREATE TABLE transform.fact_traffic_daily (
    shop_key           integer       NOT NULL,
    date_key           integer       NOT NULL,
    channel_group_key  integer       NOT NULL,
    currency_code      text          NOT NULL,
    comparable         boolean       NOT NULL,
    sessions           bigint        NOT NULL,
    users              bigint        NOT NULL,
    key_events         numeric(18,4) NOT NULL,
    revenue_minor      bigint        NOT NULL,
    PRIMARY KEY (shop_key, date_key, channel_group_key)
);

-- One row per shop and synced day, zeros where nothing was delivered. Money in the shop's currency, minor units.
CREATE TABLE transform.marketing_daily (
    shop_domain                    text          NOT NULL,
    date                           date          NOT NULL,
    currency_code                  text,
    meta_spend_minor               bigint        NOT NULL,
    google_spend_minor             bigint        NOT NULL,
    spend_minor                    bigint        NOT NULL,
    meta_impressions               bigint        NOT NULL,
    google_impressions             bigint        NOT NULL,
    impressions                    bigint        NOT NULL,
    meta_clicks                    bigint        NOT NULL,
    google_clicks                  bigint        NOT NULL,
    clicks                         bigint        NOT NULL,
    meta_conversions               numeric(18,4) NOT NULL,
    meta_conversion_value_minor    bigint        NOT NULL,
    google_conversions             numeric(18,4) NOT NULL,
    google_conversion_value_minor  bigint        NOT NULL,
    sessions                       bigint        NOT NULL,
    users                          bigint        NOT NULL,
    key_events                     numeric(18,4) NOT NULL,
    ga4_revenue_minor              bigint        NOT NULL,
    not_comparable_rows            integer       NOT NULL,   -- rows of accounts in another currency, left out of the sums
    refreshed_at                   timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_domain, date)
);

-- The last 30 days up to yesterday (UTC) beside the shop's own revenue and orders.
CREATE VIEW transform.v_marketing_pulse_30d AS
SELECT m.shop_domain, m.date, m.currency_code, m.meta_spend_minor, m.google_spend_minor, m.spend_minor, m.impressions, m.clicks,
       m.meta_conversions + m.google_conversions AS platform_conversions,
       m.meta_conversion_value_minor + m.google_conversion_value_minor AS platform_conversion_value_minor,
       m.sessions, m.users, m.key_events, m.ga4_revenue_minor,
       COALESCE(s.orders, 0) AS orders, COALESCE(s.revenue_minor, 0) AS revenue_minor,
       CASE WHEN m.impressions = 0 THEN NULL ELSE round(m.clicks::numeric / m.impressions, 6) END AS ctr,
       CASE WHEN m.spend_minor = 0 THEN NULL ELSE round(COALESCE(s.revenue_minor, 0)::numeric / m.spend_minor, 4) END AS blended_roas
FROM transform.marketing_daily m
LEFT JOIN transform.sales_metrics_daily s ON s.shop_domain = m.shop_domain AND s.date = m.date
WHERE m.date > (now() AT TIME ZONE 'UTC')::date - 31 AND m.date < (now() AT TIME ZONE 'UTC')::date;
