-- This service's own copies of what it computes KPIs from, fed by events only. Each day keeps the time of the
-- computation it came from (computed_at): a late or repeated event of an older computation never replaces it.
ALTER TABLE kpi.daily_sales
    ADD COLUMN units         bigint      NOT NULL DEFAULT 0,
    ADD COLUMN refunds_minor bigint      NOT NULL DEFAULT 0,
    ADD COLUMN computed_at   timestamptz NOT NULL DEFAULT '-infinity';

-- The customers who ordered on a day (guests left out), with the day of their first order ever.
CREATE TABLE kpi.customer_day (
    shop_domain       text    NOT NULL,
    date              date    NOT NULL,
    customer_id       bigint  NOT NULL,
    orders            integer NOT NULL,
    first_order_date  date    NOT NULL,
    PRIMARY KEY (shop_domain, date, customer_id)
);

-- Per day and marketing source (MarketingDailyUpdated), money in the shop's currency.
CREATE TABLE kpi.marketing_day (
    shop_domain            text          NOT NULL,
    date                   date          NOT NULL,
    source                 text          NOT NULL,
    currency_code          text          NOT NULL,
    spend_minor            bigint        NOT NULL,
    impressions            bigint        NOT NULL,
    clicks                 bigint        NOT NULL,
    conversions            numeric(18,4) NOT NULL,
    conversion_value_minor bigint        NOT NULL,
    sessions               bigint        NOT NULL,
    users                  bigint        NOT NULL,
    key_events             numeric(18,4) NOT NULL,
    revenue_minor          bigint        NOT NULL,
    computed_at            timestamptz   NOT NULL,
    PRIMARY KEY (shop_domain, date, source)
);

-- Per campaign and day, for the rules that name a campaign.
CREATE TABLE kpi.campaign_day (
    shop_domain            text          NOT NULL,
    date                   date          NOT NULL,
    source                 text          NOT NULL,
    campaign_id            text          NOT NULL,
    campaign_name          text          NOT NULL,
    spend_minor            bigint        NOT NULL,
    impressions            bigint        NOT NULL,
    clicks                 bigint        NOT NULL,
    conversions            numeric(18,4) NOT NULL,
    conversion_value_minor bigint        NOT NULL,
    PRIMARY KEY (shop_domain, date, source, campaign_id)
);

-- The KPI values published: now decimals of any kind (money in minor units, counts, rates), null where undefined.
DROP TABLE kpi.kpi_snapshot;
CREATE TABLE kpi.kpi_snapshot (
    shop_domain    text        NOT NULL,
    period_from    date        NOT NULL,
    period_to      date        NOT NULL,
    kpi            text        NOT NULL,
    kind           text        NOT NULL,
    currency_code  text        NOT NULL,
    current_value  numeric,
    previous_value numeric,
    change         numeric,
    computed_at    timestamptz NOT NULL DEFAULT now(),
    run_id         uuid        NOT NULL,
    PRIMARY KEY (shop_domain, period_from, period_to, kpi)
);
