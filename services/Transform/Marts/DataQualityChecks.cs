namespace GrowthOs.Transform.Marts;

/// <summary>
/// The checks run after every run, for the shop the run loaded. Given reporting days (<c>@from</c>, <c>@to</c>: a run's),
/// a check of orders, their lines and refunds, or the marts reads those of the days only, and the check for duplicate
/// names looks for the days' names among the whole shop's; without (null), the whole shop. The checks for duplicate
/// children's ids (no index finds a line by its own id alone) and for lines and fulfillments without their order read
/// the whole shop either way.
/// </summary>
public static class DataQualityChecks
{
    /// <summary>The checks of marts against the orders, which a concurrent load of the same shop can upset for a moment.</summary>
    public static readonly IReadOnlySet<string> MartChecks = new HashSet<string>
    {
        "daily_sales_match_their_orders", "net_sales_add_up", "star_facts_match_daily_sales", "line_facts_sum_to_gross_sales",
    };

    /// <summary>An order's (or a refund's) creation within the days, when there are days.</summary>
    private const string Days =
        "(@from::date IS NULL OR (created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)))";

    /// <summary>
    /// The least and the greatest id of the days' orders (<c>ids.first</c>, <c>ids.last</c>), when there are days; none
    /// for the whole shop. A shop's ids grow with time, so the days' lines, refunds and fulfillments lie in a narrow range
    /// of their key, which the lines and fulfillments, with no index on a day of their own, are read by. (Counted too, so
    /// that the least and the greatest are taken from the days' orders, not looked for along the key from either end.)
    /// </summary>
    private const string DaysOrderIds = $"""
        ids AS (SELECT min(order_id) AS first, max(order_id) AS last, count(*) AS orders FROM transform.order_header
                WHERE @from::date IS NOT NULL AND shop_domain = @shop AND {Days})
        """;

    /// <summary>A child row's order within the days' ids (<see cref="DaysOrderIds"/>), when there are days.</summary>
    private const string OfDaysOrders = "(@from::date IS NULL OR order_id BETWEEN (SELECT first FROM ids) AND (SELECT last FROM ids))";

    /// <summary>A fact's day within the days, when there are days.</summary>
    private const string DateKeys =
        "(@from::date IS NULL OR f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int)";

    public static readonly IReadOnlyList<DataQualityCheck> All =
    [
        new("every_line_has_its_order", Severity.Critical,
            "Every line item belongs to an order of the same shop (after a run: every line that run loaded; another run may be mid-load).",
            $"""
            WITH {DaysOrderIds}
            SELECT count(*) FROM transform.order_line_item l
            WHERE l.shop_domain = @shop AND (@run::uuid IS NULL OR l.source_run_id = @run) AND {OfDaysOrders}
              AND NOT EXISTS (SELECT 1 FROM transform.order_header o WHERE o.shop_domain = l.shop_domain AND o.order_id = l.order_id)
            """),
        new("no_negative_quantities", Severity.Critical,
            "No line item has a negative quantity or current quantity.",
            $"""
            SELECT CASE WHEN @from::date IS NULL
                THEN (SELECT count(*) FROM transform.order_line_item WHERE shop_domain = @shop AND (quantity < 0 OR current_quantity < 0))
                ELSE (SELECT count(*) FROM transform.order_header o JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = o.order_id
                      WHERE o.shop_domain = @shop AND {Days} AND (l.quantity < 0 OR l.current_quantity < 0)) END
            """),
        new("no_negative_totals", Severity.Critical,
            "No order has a negative total, subtotal, tax or shipping.",
            $"""
            SELECT count(*) FROM transform.order_header
            WHERE shop_domain = @shop AND (total_minor < 0 OR subtotal_minor < 0 OR total_tax_minor < 0 OR total_shipping_minor < 0)
              AND {Days}
            """),
        new("no_future_dates", Severity.Critical,
            "No order is created or updated in the future (five minutes of clock skew allowed).",
            """
            SELECT count(*) FROM transform.order_header
            WHERE shop_domain = @shop AND (created_at > now() + interval '5 minutes' OR updated_at > now() + interval '5 minutes')
              AND (@from::date IS NULL OR created_at >= (@from::date::timestamp AT TIME ZONE @tz))
            """),
        new("updated_not_before_created", Severity.Warning,
            "No order is updated before it was created.",
            $"SELECT count(*) FROM transform.order_header WHERE shop_domain = @shop AND updated_at < created_at AND {Days}"),
        new("one_currency_per_shop", Severity.Critical,
            "All orders of a shop are in one shop currency (violations: currencies beyond the first).",
            $"""
            SELECT greatest(count(DISTINCT currency_code) - 1, 0) FROM (
                SELECT currency_code FROM transform.order_header WHERE shop_domain = @shop AND {Days}
                UNION ALL (SELECT currency_code FROM transform.order_header WHERE shop_domain = @shop ORDER BY created_at LIMIT 1)) currencies
            """),
        new("no_duplicate_child_ids", Severity.Critical,
            "No line item, refund or fulfillment id of a shop appears under two orders (violations: the ids beyond the first).",
            $"""
            WITH {DaysOrderIds}
            SELECT (SELECT count(*) - count(DISTINCT line_item_id) FROM transform.order_line_item WHERE shop_domain = @shop AND {OfDaysOrders})
                 + (SELECT count(*) - count(DISTINCT refund_id) FROM transform.order_refund WHERE shop_domain = @shop AND {OfDaysOrders})
                 + (SELECT count(*) - count(DISTINCT fulfillment_id) FROM transform.order_fulfillment WHERE shop_domain = @shop AND {OfDaysOrders})
            """),
        new("no_duplicate_order_names", Severity.Warning,
            "No two orders of a shop share a name (#1001).",
            $"""
            SELECT coalesce(sum(n - 1), 0) FROM (
                SELECT count(*) AS n FROM transform.order_header
                WHERE shop_domain = @shop
                  AND (@from::date IS NULL OR name IN (SELECT name FROM transform.order_header WHERE shop_domain = @shop AND {Days}))
                GROUP BY name HAVING count(*) > 1) duplicates
            """),
        new("daily_sales_match_their_orders", Severity.Critical,
            "Each day of sales_metrics_daily has the order count and revenue of that day's non-test, non-cancelled orders.",
            $"""
            SELECT count(*) FROM transform.sales_metrics_daily d
            LEFT JOIN (
                SELECT (created_at AT TIME ZONE @tz)::date AS date, count(*) AS orders, sum(total_minor) AS revenue
                FROM transform.order_header WHERE shop_domain = @shop AND NOT is_test AND cancelled_at IS NULL AND {Days} GROUP BY 1
            ) o ON o.date = d.date
            WHERE d.shop_domain = @shop AND (d.orders <> coalesce(o.orders, 0) OR d.revenue_minor <> coalesce(o.revenue, 0))
              AND (@from::date IS NULL OR d.date BETWEEN @from AND @to)
            """),
        new("order_totals_reconcile", Severity.Warning,
            "An order's total is its subtotal plus shipping plus tax, to the cent.",
            $"""
            SELECT count(*) FROM transform.order_header
            WHERE shop_domain = @shop AND subtotal_minor <> 0 AND total_minor <> subtotal_minor + total_shipping_minor + total_tax_minor AND {Days}
            """),
        new("line_totals_reconcile", Severity.Warning,
            "An order's subtotal is the sum of its lines' unit price × quantity less their discounts, to the cent.",
            $"""
            WITH orders AS (SELECT order_id, subtotal_minor FROM transform.order_header WHERE shop_domain = @shop AND subtotal_minor <> 0 AND {Days})
            SELECT count(*) FROM orders o
            JOIN (SELECT l.order_id, sum(l.unit_price_minor * l.quantity - l.total_discount_minor) AS lines
                  FROM transform.order_line_item l
                  -- The lines of the days' orders lie within their ids (a shop's ids grow with time: a narrow range of the key).
                  WHERE l.shop_domain = @shop AND l.order_id BETWEEN (SELECT min(order_id) FROM orders) AND (SELECT max(order_id) FROM orders)
                  GROUP BY l.order_id) l USING (order_id)
            WHERE o.subtotal_minor <> l.lines
            """),
        new("every_refund_and_fulfillment_has_its_order", Severity.Critical,
            "Every refund and fulfillment belongs to an order of the same shop.",
            $"""
            WITH {DaysOrderIds}
            SELECT (SELECT count(*) FROM transform.order_refund r WHERE r.shop_domain = @shop AND {Days}
                      AND NOT EXISTS (SELECT 1 FROM transform.order_header o WHERE o.shop_domain = r.shop_domain AND o.order_id = r.order_id))
                 + (SELECT count(*) FROM transform.order_fulfillment f WHERE f.shop_domain = @shop AND {OfDaysOrders}
                      AND NOT EXISTS (SELECT 1 FROM transform.order_header o WHERE o.shop_domain = f.shop_domain AND o.order_id = f.order_id))
            """),
        new("net_sales_add_up", Severity.Critical,
            "Each day's net sales are its gross sales less its discounts and refunds, and no day counts more fulfilled orders than orders.",
            """
            SELECT count(*) FROM transform.sales_metrics_daily
            WHERE shop_domain = @shop AND (@from::date IS NULL OR date BETWEEN @from AND @to)
              AND (net_sales_minor <> gross_sales_minor - discounts_minor - refunds_minor OR orders_fulfilled > orders)
            """),
        new("star_facts_match_daily_sales", Severity.Critical,
            "The daily-sales facts of the star schema have each day's orders and revenue of sales_metrics_daily, from the star's first day.",
            """
            SELECT count(*) FROM transform.sales_metrics_daily d
            JOIN transform.dim_shop s ON s.shop_domain = d.shop_domain
            LEFT JOIN (SELECT f.date_key, sum(f.orders) AS orders, sum(f.revenue_minor) AS revenue FROM transform.fact_daily_sales f
                       WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) GROUP BY f.date_key) f
                   ON f.date_key = to_char(d.date, 'YYYYMMDD')::int
            WHERE d.shop_domain = @shop
              AND d.date >= (SELECT to_date(min(date_key)::text, 'YYYYMMDD') FROM transform.fact_daily_sales WHERE shop_key = s.shop_key)
              AND (d.orders <> COALESCE(f.orders, 0) OR d.revenue_minor <> COALESCE(f.revenue, 0))
            """),
        new("every_fact_has_its_dimensions", Severity.Critical,
            "Every order-line and daily-sales fact references a date, and shop, product, customer and channel members that exist "
            + "(the product and customer of its own shop).",
            $"""
            WITH shop AS (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
            SELECT (SELECT count(*) FROM transform.fact_order_line f
                    WHERE f.shop_key = (SELECT shop_key FROM shop) AND {DateKeys}
                      AND (NOT EXISTS (SELECT 1 FROM transform.dim_date d WHERE d.date_key = f.date_key)
                       OR NOT EXISTS (SELECT 1 FROM transform.dim_product p WHERE p.product_key = f.product_key AND p.shop_key = f.shop_key)
                       OR NOT EXISTS (SELECT 1 FROM transform.dim_customer c WHERE c.customer_key = f.customer_key AND c.shop_key = f.shop_key)
                       OR NOT EXISTS (SELECT 1 FROM transform.dim_channel ch WHERE ch.channel_key = f.channel_key)))
                 + (SELECT count(*) FROM transform.fact_daily_sales f
                    WHERE f.shop_key = (SELECT shop_key FROM shop) AND {DateKeys}
                      AND (NOT EXISTS (SELECT 1 FROM transform.dim_date d WHERE d.date_key = f.date_key)
                       OR NOT EXISTS (SELECT 1 FROM transform.dim_channel ch WHERE ch.channel_key = f.channel_key)))
            """),
        new("line_facts_sum_to_gross_sales", Severity.Critical,
            "Each day's order-line facts sum to that day's gross sales in sales_metrics_daily.",
            $"""
            SELECT count(*) FROM (SELECT f.date_key, sum(f.gross_minor) AS gross FROM transform.fact_order_line f
                                  WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop) AND {DateKeys}
                                  GROUP BY f.date_key) l
            JOIN transform.sales_metrics_daily d ON d.shop_domain = @shop AND to_char(d.date, 'YYYYMMDD')::int = l.date_key
            WHERE d.gross_sales_minor <> l.gross
            """),
        new("variants_have_their_product", Severity.Warning,
            "Every variant belongs to a product of the same shop.",
            """
            SELECT count(*) FROM transform.product_variant v WHERE v.shop_domain = @shop
              AND NOT EXISTS (SELECT 1 FROM transform.product p WHERE p.shop_domain = v.shop_domain AND p.product_id = v.product_id)
            """),
        new("refunds_within_totals", Severity.Warning,
            "No order is refunded more than its total.",
            $"SELECT count(*) FROM transform.order_header WHERE shop_domain = @shop AND total_refunded_minor > total_minor AND {Days}"),
    ];
}
