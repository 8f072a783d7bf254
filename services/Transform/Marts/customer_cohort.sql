-- customer_cohort: for each customer of @customers (those whose customer_daily rows changed), its first counted order
-- (not a test, not cancelled: its reporting day in the shop's zone @tz, id, time, channel, else 'unknown', and discount
-- codes) and the reporting day of its second; a customer without a counted order left is removed. Answers the rows
-- written or removed.
WITH touched AS (
    SELECT DISTINCT unnest(@customers::bigint[]) AS customer_id
),
cohorts AS (
    SELECT t.customer_id, (f.created_at AT TIME ZONE @tz)::date AS first_date, f.order_id AS first_order_id, f.created_at AS first_order_at,
           COALESCE(f.source_name, 'unknown') AS channel, f.discount_codes, (s.created_at AT TIME ZONE @tz)::date AS second_date
    FROM touched t
    CROSS JOIN LATERAL (
        SELECT o.order_id, o.created_at, o.source_name, o.discount_codes FROM transform.order_header o
        WHERE o.shop_domain = @shop AND o.customer_id = t.customer_id AND NOT o.is_test AND o.cancelled_at IS NULL
        ORDER BY o.created_at, o.order_id
        LIMIT 1
    ) f
    LEFT JOIN LATERAL (
        SELECT o.created_at FROM transform.order_header o
        WHERE o.shop_domain = @shop AND o.customer_id = t.customer_id AND NOT o.is_test AND o.cancelled_at IS NULL
        ORDER BY o.created_at, o.order_id
        OFFSET 1 LIMIT 1
    ) s ON true
),
written AS (
    INSERT INTO transform.customer_cohort AS c (shop_domain, customer_id, first_date, first_order_id, first_order_at, channel, discount_codes, second_date)
    SELECT @shop, customer_id, first_date, first_order_id, first_order_at, channel, discount_codes, second_date FROM cohorts
    ON CONFLICT (shop_domain, customer_id) DO UPDATE SET
        first_date = EXCLUDED.first_date, first_order_id = EXCLUDED.first_order_id, first_order_at = EXCLUDED.first_order_at,
        channel = EXCLUDED.channel, discount_codes = EXCLUDED.discount_codes, second_date = EXCLUDED.second_date
    WHERE (c.first_date, c.first_order_id, c.first_order_at, c.channel, c.discount_codes, c.second_date)
          IS DISTINCT FROM (EXCLUDED.first_date, EXCLUDED.first_order_id, EXCLUDED.first_order_at, EXCLUDED.channel, EXCLUDED.discount_codes,
                            EXCLUDED.second_date)
    RETURNING 1
),
removed AS (
    DELETE FROM transform.customer_cohort c USING touched t
    WHERE c.shop_domain = @shop AND c.customer_id = t.customer_id AND NOT EXISTS (SELECT 1 FROM cohorts x WHERE x.customer_id = t.customer_id)
    RETURNING 1
)
SELECT (SELECT count(*) FROM written) + (SELECT count(*) FROM removed)
