using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// Reads the cohorts of a shop's customers by the month of their first counted order (not a test, not cancelled; in the
/// shop's reporting time zone), from the customer mart (<c>customer_cohort</c> and <c>customer_daily</c>, refreshed with
/// the daily sales: Marts/customer_daily.sql). A cohort's net revenue is its members' lines (unit price × quantity −
/// discount) on their orders' days, less their refunds on the refunds' days; its gross profit that less the cost of goods
/// of the lines whose cost is known (the cost in effect on the order's day, as profit_daily counts it). Guests belong to
/// no cohort.
/// </summary>
public static class CohortReader
{
    public static readonly IReadOnlyList<int> WindowDays = [30, 60, 90, 180, 365];

    public const int MonthsFollowed = 12;

    private const string Sql = """
        WITH newcomers AS (
            SELECT c.customer_id, c.first_date, c.first_order_id, c.channel, c.discount_codes, c.second_date,
                   date_trunc('month', c.first_date)::date AS cohort
            FROM transform.customer_cohort c
            WHERE c.shop_domain = @shop AND c.first_date BETWEEN @from AND @to
        ),
        members AS (
            SELECT n.*, CASE WHEN @by = 'channel' THEN n.channel END AS segment FROM newcomers n
            WHERE (@channel::text IS NULL OR n.channel = @channel)
              AND (@code::text IS NULL OR lower(@code) = ANY (SELECT lower(c) FROM unnest(n.discount_codes) c))
              AND (@product::bigint IS NULL OR EXISTS (
                  SELECT 1 FROM transform.order_line_item l WHERE l.shop_domain = @shop AND l.order_id = n.first_order_id AND l.product_id = @product))
        ),
        events AS (
            SELECT m.cohort, m.segment, m.first_date, d.date, d.net_minor AS net, d.gross_profit_minor AS gross_profit
            FROM members m JOIN transform.customer_daily d ON d.shop_domain = @shop AND d.customer_id = m.customer_id
        )
        SELECT 's', cohort, segment, 0, count(*)::bigint, (count(*) FILTER (WHERE second_date - first_date < 90))::bigint
        FROM members GROUP BY cohort, segment
        UNION ALL
        SELECT 'm', cohort, segment,
               ((extract(year FROM date) - extract(year FROM cohort)) * 12 + extract(month FROM date) - extract(month FROM cohort))::int,
               sum(net)::bigint, sum(gross_profit)::bigint
        FROM events WHERE date < cohort + interval '13 months' GROUP BY 2, 3, 4
        UNION ALL
        SELECT 'd', e.cohort, e.segment, w.days, sum(e.net)::bigint, sum(e.gross_profit)::bigint
        FROM events e JOIN (VALUES (30), (60), (90), (180), (365)) w(days) ON e.date - e.first_date < w.days
        GROUP BY 2, 3, 4
        UNION ALL
        SELECT 'n', n.cohort, NULL, 0, count(*)::bigint,
               COALESCE((SELECT sum(spend_minor) FROM transform.marketing_daily
                         WHERE shop_domain = @shop AND date >= n.cohort AND date < n.cohort + interval '1 month'), 0)::bigint
        FROM newcomers n GROUP BY n.cohort
        """;

    /// <summary>
    /// The cohorts of <paramref name="shop"/> whose first order's day is from <paramref name="from"/> to <paramref name="to"/>;
    /// a figure not yet complete on <paramref name="today"/> (the shop's) is null.
    /// </summary>
    public static async Task<IReadOnlyList<Cohort>> Read(NpgsqlDataSource dataSource, string shop, DateOnly from, DateOnly to,
        DateOnly today, string by, string? channel, long? product, CancellationToken cancellationToken, string? discountCode = null)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("by", by);
        command.Parameters.AddWithValue("channel", NpgsqlTypes.NpgsqlDbType.Text, (object?)channel ?? DBNull.Value);
        command.Parameters.AddWithValue("product", NpgsqlTypes.NpgsqlDbType.Bigint, (object?)product ?? DBNull.Value);
        command.Parameters.AddWithValue("code", NpgsqlTypes.NpgsqlDbType.Text, (object?)discountCode ?? DBNull.Value);

        var sizes = new Dictionary<(DateOnly, string?), (long Customers, long Repeaters)>();
        var months = new Dictionary<(DateOnly, string?, int), (long Net, long GrossProfit)>();
        var windows = new Dictionary<(DateOnly, string?, int), (long Net, long GrossProfit)>();
        var newcomers = new Dictionary<DateOnly, (long Customers, long Spend)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var cohort = reader.GetFieldValue<DateOnly>(1);
                var segment = reader.IsDBNull(2) ? null : reader.GetString(2);
                var (index, a, b) = (reader.GetInt32(3), reader.GetInt64(4), reader.GetInt64(5));
                switch (reader.GetString(0))
                {
                    case "s": sizes[(cohort, segment)] = (a, b); break;
                    case "m": months[(cohort, segment, index)] = (a, b); break;
                    case "d": windows[(cohort, segment, index)] = (a, b); break;
                    default: newcomers[cohort] = (a, b); break;
                }
            }

        var cohorts = new List<Cohort>();
        foreach (var ((month, segment), (customers, repeaters)) in sizes.OrderBy(s => s.Key.Item1).ThenBy(s => s.Key.Item2, StringComparer.Ordinal))
        {
            var (allNew, spend) = newcomers.GetValueOrDefault(month);
            var cac = spend > 0 ? Ratios.Minor(spend, allNew) : null;
            var cells = new List<CohortMonth>();
            long net = 0, grossProfit = 0;
            int? payback = null;
            for (var index = 0; index <= MonthsFollowed; index++)
            {
                var (monthNet, monthProfit) = months.GetValueOrDefault((month, segment, index));
                (net, grossProfit) = (net + monthNet, grossProfit + monthProfit);
                var ended = month.AddMonths(index + 1) <= today;
                var profitPerCustomer = ended ? Ratios.Minor(grossProfit, customers) : null;
                cells.Add(new CohortMonth(index, ended ? Ratios.Minor(net, customers) : null, profitPerCustomer));
                if (payback is null && cac is { } c && profitPerCustomer >= c) payback = index;
            }
            // Every member's window has ended once the last possible first day (the month's last, or the period's) is that far back.
            var lastFirst = month.AddMonths(1).AddDays(-1) < to ? month.AddMonths(1).AddDays(-1) : to;
            var spans = WindowDays.Select(days =>
            {
                var (windowNet, windowProfit) = windows.GetValueOrDefault((month, segment, days));
                var ended = lastFirst.AddDays(days) <= today;
                return new CohortWindow(days, ended ? Ratios.Minor(windowNet, customers) : null, ended ? Ratios.Minor(windowProfit, customers) : null);
            }).ToList();
            decimal? LtvToCac(int days) =>
                spans.Single(w => w.Days == days).GrossProfitPerCustomerMinor is { } ltv && cac is > 0 ? Ratios.Of(ltv, cac.Value) : null;
            var maturing = !(month.AddMonths(MonthsFollowed + 1) <= today) || spans[^1].RevenuePerCustomerMinor is null;
            cohorts.Add(new Cohort(month, segment, customers, allNew, spend, cac,
                lastFirst.AddDays(90) <= today ? Ratios.Of(repeaters, customers) : null, cells, spans, LtvToCac(90), LtvToCac(365), payback, maturing));
        }
        return cohorts;
    }
}
