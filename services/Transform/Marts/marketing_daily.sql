-- Refreshes the marketing star and the marketing_daily mart of one shop for the days [@from, @to] (the platforms'
-- reporting days, taken as the shop's: see the README on time zones). Dimensions first, then the facts of those days
-- replaced from staging, then the mart: one row per day of the range, zeros where nothing was delivered. Money is kept
-- in the account's currency on the facts; the mart sums only what is in the shop's currency (comparable), and counts
-- what it left out.
INSERT INTO transform.dim_shop (shop_domain, currency_code, reporting_time_zone)
SELECT @shop, transform.shop_currency(@shop), @tz
ON CONFLICT (shop_domain) DO UPDATE SET currency_code = COALESCE(EXCLUDED.currency_code, transform.dim_shop.currency_code);

CREATE TEMP TABLE marketing_shop ON COMMIT DROP AS
SELECT s.shop_key, COALESCE(transform.shop_currency(@shop), s.currency_code,
        (SELECT currency_code FROM transform.marketing_account WHERE shop_domain = @shop ORDER BY seen_at DESC LIMIT 1)) AS currency_code
FROM transform.dim_shop s WHERE s.shop_domain = @shop;

-- The latest name of each campaign; its channel is where GA4's default channel grouping puts its traffic.
INSERT INTO transform.dim_campaign (shop_key, source, external_id, name, channel)
SELECT m.shop_key, c.source, c.campaign_id, c.campaign_name,
       CASE
           WHEN c.source = 'meta' THEN 'Paid Social'
           WHEN c.campaign_name ILIKE 'Performance Max%' OR c.campaign_name ILIKE 'PMax%' THEN 'Cross-network'
           WHEN c.campaign_name ILIKE 'Shopping%' THEN 'Paid Shopping'
           WHEN c.campaign_name ILIKE 'Display%' THEN 'Display'
           WHEN c.campaign_name ILIKE 'Video%' OR c.campaign_name ILIKE 'YouTube%' THEN 'Paid Video'
           ELSE 'Paid Search'
       END
FROM (SELECT DISTINCT ON (source, campaign_id) source, campaign_id, campaign_name
      FROM transform.ad_campaign_day WHERE shop_domain = @shop AND day BETWEEN @from AND @to
      ORDER BY source, campaign_id, day DESC) c
CROSS JOIN marketing_shop m
ON CONFLICT (shop_key, source, external_id) DO UPDATE SET name = EXCLUDED.name, channel = EXCLUDED.channel;

INSERT INTO transform.dim_channel_group (name)
SELECT DISTINCT channel_group FROM transform.traffic_channel_day WHERE shop_domain = @shop AND day BETWEEN @from AND @to
ON CONFLICT (name) DO NOTHING;

-- The shop's key as a value (an InitPlan), never a join to the unanalysed temporary table: joined, the facts of every
-- shop are read to find this one's.
DELETE FROM transform.fact_ad_daily f
WHERE f.shop_key = (SELECT shop_key FROM marketing_shop) AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int;
INSERT INTO transform.fact_ad_daily (shop_key, date_key, campaign_key, currency_code, comparable, spend_minor, impressions, clicks, conversions, conversion_value_minor)
SELECT m.shop_key, to_char(c.day, 'YYYYMMDD')::int, d.campaign_key, c.currency_code, c.currency_code IS NOT DISTINCT FROM m.currency_code,
       c.spend_minor, c.impressions, c.clicks, c.conversions, c.conversion_value_minor
FROM transform.ad_campaign_day c
CROSS JOIN marketing_shop m
JOIN transform.dim_campaign d ON d.shop_key = m.shop_key AND d.source = c.source AND d.external_id = c.campaign_id
WHERE c.shop_domain = @shop AND c.day BETWEEN @from AND @to;

DELETE FROM transform.fact_traffic_daily f
WHERE f.shop_key = (SELECT shop_key FROM marketing_shop) AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int;
INSERT INTO transform.fact_traffic_daily (shop_key, date_key, channel_group_key, currency_code, comparable, sessions, users, key_events, revenue_minor)
SELECT m.shop_key, to_char(t.day, 'YYYYMMDD')::int, g.channel_group_key, t.currency_code, t.currency_code IS NOT DISTINCT FROM m.currency_code,
       t.sessions, t.users, t.key_events, t.revenue_minor
FROM transform.traffic_channel_day t
CROSS JOIN marketing_shop m
JOIN transform.dim_channel_group g ON g.name = t.channel_group
WHERE t.shop_domain = @shop AND t.day BETWEEN @from AND @to;

DELETE FROM transform.marketing_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to;
INSERT INTO transform.marketing_daily (shop_domain, date, currency_code, meta_spend_minor, google_spend_minor, spend_minor, meta_impressions, google_impressions,
    impressions, meta_clicks, google_clicks, clicks, meta_conversions, meta_conversion_value_minor, google_conversions, google_conversion_value_minor, sessions, users,
    key_events, ga4_revenue_minor, not_comparable_rows)
SELECT @shop, d.day::date, m.currency_code,
       COALESCE(ads.meta_spend, 0), COALESCE(ads.google_spend, 0), COALESCE(ads.meta_spend, 0) + COALESCE(ads.google_spend, 0),
       COALESCE(ads.meta_impressions, 0), COALESCE(ads.google_impressions, 0), COALESCE(ads.meta_impressions, 0) + COALESCE(ads.google_impressions, 0),
       COALESCE(ads.meta_clicks, 0), COALESCE(ads.google_clicks, 0), COALESCE(ads.meta_clicks, 0) + COALESCE(ads.google_clicks, 0),
       COALESCE(ads.meta_conversions, 0), COALESCE(ads.meta_value, 0), COALESCE(ads.google_conversions, 0), COALESCE(ads.google_value, 0),
       COALESCE(web.sessions, 0), COALESCE(web.users, 0), COALESCE(web.key_events, 0), COALESCE(web.revenue, 0),
       COALESCE(ads.not_comparable, 0) + COALESCE(web.not_comparable, 0)
FROM generate_series(@from::date, @to::date, interval '1 day') AS d(day)
CROSS JOIN marketing_shop m
LEFT JOIN (
    SELECT f.date_key,
           sum(f.spend_minor) FILTER (WHERE c.source = 'meta' AND f.comparable) AS meta_spend,
           sum(f.spend_minor) FILTER (WHERE c.source = 'google_ads' AND f.comparable) AS google_spend,
           sum(f.impressions) FILTER (WHERE c.source = 'meta') AS meta_impressions,
           sum(f.impressions) FILTER (WHERE c.source = 'google_ads') AS google_impressions,
           sum(f.clicks) FILTER (WHERE c.source = 'meta') AS meta_clicks,
           sum(f.clicks) FILTER (WHERE c.source = 'google_ads') AS google_clicks,
           sum(f.conversions) FILTER (WHERE c.source = 'meta') AS meta_conversions,
           sum(f.conversion_value_minor) FILTER (WHERE c.source = 'meta' AND f.comparable) AS meta_value,
           sum(f.conversions) FILTER (WHERE c.source = 'google_ads') AS google_conversions,
           sum(f.conversion_value_minor) FILTER (WHERE c.source = 'google_ads' AND f.comparable) AS google_value,
           count(*) FILTER (WHERE NOT f.comparable) AS not_comparable
    FROM transform.fact_ad_daily f JOIN transform.dim_campaign c ON c.campaign_key = f.campaign_key
    WHERE f.shop_key = (SELECT shop_key FROM marketing_shop)
      AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int
    GROUP BY f.date_key) ads ON ads.date_key = to_char(d.day, 'YYYYMMDD')::int
LEFT JOIN (
    SELECT f.date_key, sum(f.sessions) AS sessions, sum(f.users) AS users, sum(f.key_events) AS key_events,
           sum(f.revenue_minor) FILTER (WHERE f.comparable) AS revenue, count(*) FILTER (WHERE NOT f.comparable) AS not_comparable
    FROM transform.fact_traffic_daily f
    WHERE f.shop_key = (SELECT shop_key FROM marketing_shop)
      AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int
    GROUP BY f.date_key) web ON web.date_key = to_char(d.day, 'YYYYMMDD')::int;
