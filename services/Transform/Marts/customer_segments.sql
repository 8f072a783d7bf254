-- customer_segments of one shop as of @as_of (a reporting day), rebuilt whole in one transaction.
-- A customer's orders and spend are Shopify's lifetime numberOfOrders and amountSpent when the customer was extracted,
-- else those of its orders loaded (test and cancelled orders left out); customers without an order are left out.
--   aov_minor       = spent / orders, rounded to the minor unit
--   segment         = Professional Shop (@pro_orders+ orders and an AOV of @pro_aov+), Enthusiast Collector
--                     (@enthusiast_orders+ and @enthusiast_aov+), DIY Builder (@diy_orders+), First-time Builder (1)
--   lifecycle_stage = active when the last order loaded is under @active_days days before @as_of, at_risk from
--                     @active_days to @churned_days days, churned beyond (or when no order of the customer is loaded)
WITH ordered AS (
    SELECT customer_id, count(*)::bigint AS orders, sum(total_minor)::bigint AS spent, min(currency_code) AS currency_code,
           min(created_at) AS first_order_at, max(created_at) AS last_order_at
    FROM transform.order_header
    WHERE shop_domain = @shop AND customer_id IS NOT NULL AND NOT is_test AND cancelled_at IS NULL
      AND created_at < ((@as_of::date + 1)::timestamp AT TIME ZONE @tz)
    GROUP BY customer_id
),
known AS (
    SELECT COALESCE(c.customer_id, o.customer_id) AS customer_id,
           CASE WHEN c.customer_id IS NOT NULL THEN c.number_of_orders ELSE o.orders END AS orders,
           CASE WHEN c.customer_id IS NOT NULL THEN c.amount_spent_minor ELSE o.spent END AS spent,
           COALESCE(c.currency_code, o.currency_code) AS currency_code,
           o.first_order_at, o.last_order_at,
           @as_of::date - (o.last_order_at AT TIME ZONE @tz)::date AS days_since
    FROM (SELECT * FROM transform.customer WHERE shop_domain = @shop) c
    FULL JOIN ordered o ON o.customer_id = c.customer_id
),
measured AS (
    SELECT *, CASE WHEN orders > 0 THEN round(spent::numeric / orders)::bigint ELSE 0 END AS aov FROM known WHERE orders > 0
)
INSERT INTO transform.customer_segments (shop_domain, customer_id, as_of_date, orders, spent_minor, currency_code, aov_minor,
    first_order_at, last_order_at, days_since_last_order, segment, lifecycle_stage, refreshed_at)
SELECT @shop, customer_id, @as_of, orders, spent, currency_code, aov, first_order_at, last_order_at, days_since,
       CASE WHEN orders >= @pro_orders AND aov >= @pro_aov THEN 'Professional Shop'
            WHEN orders >= @enthusiast_orders AND aov >= @enthusiast_aov THEN 'Enthusiast Collector'
            WHEN orders >= @diy_orders THEN 'DIY Builder'
            ELSE 'First-time Builder' END,
       CASE WHEN days_since IS NULL OR days_since > @churned_days THEN 'churned'
            WHEN days_since >= @active_days THEN 'at_risk'
            ELSE 'active' END,
       now()
FROM measured;
