-- Per day and flow or campaign of the shop's e-mail (MarketingDailyUpdated.Email), revenue in the shop's currency: the
-- e-mail KPIs and the e-mail rules are read from it. A day is replaced whole with the marketing day it came with.
CREATE TABLE kpi.email_day (
    shop_domain    text   NOT NULL,
    date           date   NOT NULL,
    kind           text   NOT NULL CHECK (kind IN ('flow', 'campaign')),
    parent_id      text   NOT NULL,
    parent_name    text,
    recipients     bigint NOT NULL,
    delivered      bigint NOT NULL,
    opens          bigint NOT NULL,
    clicks         bigint NOT NULL,
    unsubscribes   bigint NOT NULL,
    bounces        bigint NOT NULL,
    revenue_minor  bigint NOT NULL,
    PRIMARY KEY (shop_domain, date, kind, parent_id)
);
