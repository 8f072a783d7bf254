-- rolling_30d_stats of every shop of the star schema: its last 30 reporting days up to yesterday, per channel and '*'.
INSERT INTO transform.rolling_30d_stats (shop_domain, channel, window_start, window_end, orders, revenue_minor, customers, units, currency_code, refreshed_at)
WITH windows AS (
    SELECT shop_key, shop_domain, currency_code,
           ((@now::timestamptz AT TIME ZONE reporting_time_zone)::date - 30) AS window_start,
           ((@now::timestamptz AT TIME ZONE reporting_time_zone)::date - 1) AS window_end
    FROM transform.dim_shop
),
sales AS (
    SELECT w.shop_domain, COALESCE(NULLIF(c.source_name, ''), 'unknown') AS channel, w.window_start, w.window_end, w.currency_code,
           f.orders, f.revenue_minor, f.units
    FROM windows w
    JOIN transform.fact_daily_sales f ON f.shop_key = w.shop_key
         AND f.date_key BETWEEN to_char(w.window_start, 'YYYYMMDD')::int AND to_char(w.window_end, 'YYYYMMDD')::int
    JOIN transform.dim_channel c USING (channel_key)
),
buyers AS (
    SELECT w.shop_domain, COALESCE(NULLIF(c.source_name, ''), 'unknown') AS channel, f.customer_key
    FROM windows w
    JOIN transform.fact_order_line f ON f.shop_key = w.shop_key
         AND f.date_key BETWEEN to_char(w.window_start, 'YYYYMMDD')::int AND to_char(w.window_end, 'YYYYMMDD')::int
    JOIN transform.dim_channel c USING (channel_key)
    JOIN transform.dim_customer cu ON cu.customer_key = f.customer_key AND cu.customer_id <> 0
),
-- Each shop's distinct customers per channel and in all, counted in one pass over its lines.
buyer_counts AS (
    SELECT shop_domain, channel, count(DISTINCT customer_key) AS customers FROM buyers GROUP BY shop_domain, channel
    UNION ALL
    SELECT shop_domain, '*', count(DISTINCT customer_key) FROM buyers GROUP BY shop_domain
)
SELECT s.shop_domain, s.channel, min(s.window_start), min(s.window_end), sum(s.orders), sum(s.revenue_minor),
       COALESCE(min(b.customers), 0), sum(s.units), min(s.currency_code), now()
FROM (SELECT shop_domain, channel, window_start, window_end, currency_code, orders, revenue_minor, units FROM sales
      UNION ALL
      SELECT shop_domain, '*', window_start, window_end, currency_code, orders, revenue_minor, units FROM sales) s
LEFT JOIN buyer_counts b ON b.shop_domain = s.shop_domain AND b.channel = s.channel
GROUP BY s.shop_domain, s.channel;

-- sending_stats_30d of every shop with e-mail: its e-mails sent (Klaviyo's recipients) in the same 30 reporting days,
-- split into automation (flow e-mails that are not transactional), campaign and transactional (flow e-mails Klaviyo
-- sends as transactional: order and shipping confirmations, approved by Klaviyo per e-mail). The three add up to the whole.
INSERT INTO transform.sending_stats_30d (shop_domain, window_start, window_end, emails_30d, automation_emails_30d, campaign_emails_30d,
    transactional_emails_30d, updated_at)
WITH windows AS (
    SELECT e.shop_domain,
           ((@now::timestamptz AT TIME ZONE COALESCE(s.reporting_time_zone, 'UTC'))::date - 30) AS window_start,
           ((@now::timestamptz AT TIME ZONE COALESCE(s.reporting_time_zone, 'UTC'))::date - 1) AS window_end
    FROM (SELECT DISTINCT shop_domain FROM transform.email_message_day) e
    LEFT JOIN transform.dim_shop s ON s.shop_domain = e.shop_domain
)
SELECT w.shop_domain, w.window_start, w.window_end,
       COALESCE(sum(d.recipients), 0),
       COALESCE(sum(d.recipients) FILTER (WHERE d.kind = 'flow' AND NOT COALESCE(m.transactional, false)), 0),
       COALESCE(sum(d.recipients) FILTER (WHERE d.kind = 'campaign'), 0),
       COALESCE(sum(d.recipients) FILTER (WHERE d.kind = 'flow' AND COALESCE(m.transactional, false)), 0),
       now()
FROM windows w
LEFT JOIN transform.email_message_day d ON d.shop_domain = w.shop_domain AND d.day BETWEEN w.window_start AND w.window_end
LEFT JOIN transform.email_message m ON m.shop_domain = d.shop_domain AND m.kind = d.kind AND m.message_id = d.message_id
GROUP BY w.shop_domain, w.window_start, w.window_end;
