-- inventory_snapshots of one shop on @date (a reporting day): one row per variant of a product that is not archived.
--   quantity_available = available units summed over the variant's locations (the variant's inventoryQuantity when
--                        its inventory levels were not extracted)
--   units_sold_30d     = units ordered in the @window days before @date (test and cancelled orders left out)
--   daily_velocity     = units_sold_30d / @window
--   days_of_cover      = quantity_available / daily_velocity (null when nothing sold)
--   stock_status       = out_of_stock when nothing is available; low_stock when the cover is under @low_cover days;
--                        overstock when it is over @over_cover days or nothing sold; in_stock otherwise
--   velocity_tier      = fast from @fast units a day, medium from @medium, slow above zero, stagnant at zero
-- Re-running a day replaces that day's rows (in one transaction: a reader sees the old rows or the new).
WITH stock AS (
    SELECT v.variant_id, v.product_id, v.sku, p.title AS product_title, v.title AS variant_title,
           COALESCE(levels.available, v.inventory_quantity, 0) AS available, COALESCE(levels.locations, 0) AS locations
    FROM transform.product_variant v
    LEFT JOIN transform.product p ON p.shop_domain = v.shop_domain AND p.product_id = v.product_id
    LEFT JOIN (
        SELECT i.variant_id, sum(l.available)::int AS available, count(*)::int AS locations
        FROM transform.inventory_item i
        JOIN transform.inventory_level l ON l.shop_domain = i.shop_domain AND l.inventory_item_id = i.inventory_item_id
        WHERE i.shop_domain = @shop
        GROUP BY i.variant_id
    ) levels ON levels.variant_id = v.variant_id
    WHERE v.shop_domain = @shop AND (p.status IS NULL OR p.status <> 'ARCHIVED')
),
sold AS (
    SELECT l.variant_id, sum(l.quantity)::int AS units
    FROM transform.order_line_item l
    JOIN transform.order_header o ON o.shop_domain = l.shop_domain AND o.order_id = l.order_id
    WHERE l.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
      AND o.created_at >= ((@date::date - @window::int)::timestamp AT TIME ZONE @tz)
      AND o.created_at < (@date::date::timestamp AT TIME ZONE @tz)
    GROUP BY l.variant_id
),
measured AS (
    SELECT s.*, COALESCE(sold.units, 0) AS units, round(COALESCE(sold.units, 0)::numeric / @window::int, 4) AS velocity
    FROM stock s LEFT JOIN sold USING (variant_id)

)
INSERT INTO transform.inventory_snapshots (shop_domain, snapshot_date, variant_id, product_id, sku, product_title, variant_title,
    quantity_available, locations, units_sold_30d, daily_velocity, days_of_cover, stock_status, velocity_tier, refreshed_at)
SELECT @shop, @date, variant_id, product_id, sku, product_title, variant_title, available, locations, units, velocity,
       CASE WHEN velocity > 0 THEN round(greatest(available, 0) / velocity, 1) END,
       CASE WHEN available <= 0 THEN 'out_of_stock'
            WHEN velocity > 0 AND available / velocity < @low_cover THEN 'low_stock'
            WHEN velocity = 0 OR available / velocity > @over_cover THEN 'overstock'
            ELSE 'in_stock' END,
       CASE WHEN velocity >= @fast THEN 'fast' WHEN velocity >= @medium THEN 'medium' WHEN velocity > 0 THEN 'slow' ELSE 'stagnant' END,
       now()
FROM measured;
