-- integration_usage_daily of one shop for the reporting days [@from, @to] (@tz): orders created each day, test orders
-- left out, zero on a day without any.
WITH counted AS (
    SELECT (created_at AT TIME ZONE @tz)::date AS date, count(*)::int AS orders
    FROM transform.order_header
    WHERE shop_domain = @shop AND NOT is_test
      AND created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)
    GROUP BY 1
)
SELECT day::date AS date, COALESCE(counted.orders, 0) AS orders
FROM generate_series(@from::date, @to::date, interval '1 day') AS day
LEFT JOIN counted ON counted.date = day::date
ORDER BY day;
