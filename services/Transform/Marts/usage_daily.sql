-- integration_usage_daily of one shop for the reporting days [@from, @to] (@tz): orders created each day, test orders
-- left out, zero on a day without any.
SELECT day::date AS date, count(o.order_id)::int AS orders
FROM generate_series(@from::date, @to::date, interval '1 day') AS day
LEFT JOIN transform.order_header o
       ON o.shop_domain = @shop AND NOT o.is_test
      AND o.created_at >= (day::date::timestamp AT TIME ZONE @tz) AND o.created_at < ((day::date + 1)::timestamp AT TIME ZONE @tz)
GROUP BY day
ORDER BY day;
