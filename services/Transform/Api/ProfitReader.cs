using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// Reads a period's profit day by day: profit_daily's figures, the day's ad spend (marketing_daily), and the shop's cost
/// rules in effect on each day (transform.cost_rule, 024_cost_rules.sql) applied to what the day sold. A rule in another
/// currency than the shop's is not applied. Shares of revenue are rounded half away from zero per day and rule; a
/// month's fixed expense is spread over its days so that a whole month sums to it exactly (day d of a month of n days
/// takes ⌊amount·d/n⌋ − ⌊amount·(d−1)/n⌋).
/// </summary>
public static class ProfitReader
{
    private const string DaysSql = """
        WITH currency AS (
            SELECT COALESCE((SELECT min(currency_code) FROM transform.profit_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to),
                            transform.shop_currency(@shop)) AS code
        ),
        rules AS (
            SELECT r.kind, r.amount_minor, r.rate, r.effective_from, COALESCE(r.effective_to, 'infinity'::date) AS effective_to
            FROM transform.cost_rule r, currency
            WHERE r.shop_domain = @shop AND r.currency_code = currency.code AND r.effective_from <= @to AND (r.effective_to IS NULL OR r.effective_to >= @from)
        ),
        spend AS (
            SELECT date, sum(spend_minor)::bigint AS spend_minor FROM transform.marketing_daily
            WHERE shop_domain = @shop AND date BETWEEN @from AND @to GROUP BY date
        ),
        days AS (
            SELECT d::date AS date, extract(day FROM d)::numeric AS day_of_month,
                   extract(day FROM date_trunc('month', d) + interval '1 month - 1 day')::numeric AS days_in_month
            FROM generate_series(@from::date, @to::date, interval '1 day') d
        )
        SELECT d.date, (SELECT code FROM currency),
               COALESCE(m.orders, 0)::bigint, COALESCE(p.net_sales_minor, 0), COALESCE(p.cogs_minor, 0), COALESCE(p.line_net_minor, 0),
               COALESCE(p.costed_line_net_minor, 0), COALESCE(p.lines_without_cost, 0)::bigint, COALESCE(s.spend_minor, 0),
               COALESCE(p.first_orders, 0)::bigint, COALESCE(p.first_revenue_minor, 0), COALESCE(p.repeat_orders, 0)::bigint,
               COALESCE(p.repeat_revenue_minor, 0), COALESCE(p.guest_orders, 0)::bigint, COALESCE(p.guest_revenue_minor, 0),
               COALESCE(p.shopify_fees_minor, 0), COALESCE(p.orders_without_fees, 0)::bigint,
               COALESCE((SELECT sum(CASE r.kind WHEN 'shipping_per_order' THEN r.amount_minor * p.orders
                                                WHEN 'shipping_per_unit' THEN r.amount_minor * p.units
                                                ELSE round(r.rate * p.revenue_minor) END)
                         FROM rules r WHERE r.kind LIKE 'shipping%' AND d.date BETWEEN r.effective_from AND r.effective_to), 0)::bigint,
               COALESCE((SELECT sum(r.amount_minor * p.orders_without_fees + round(r.rate * p.revenue_without_fees_minor))
                         FROM rules r WHERE r.kind = 'payment_fee' AND d.date BETWEEN r.effective_from AND r.effective_to), 0)::bigint,
               COALESCE((SELECT sum(floor(r.amount_minor * d.day_of_month / d.days_in_month) - floor(r.amount_minor * (d.day_of_month - 1) / d.days_in_month))
                         FROM rules r WHERE r.kind = 'fixed_monthly' AND d.date BETWEEN r.effective_from AND r.effective_to), 0)::bigint
        FROM days d
        LEFT JOIN transform.profit_daily p ON p.shop_domain = @shop AND p.date = d.date
        LEFT JOIN transform.sales_metrics_daily m ON m.shop_domain = @shop AND m.date = d.date
        LEFT JOIN spend s ON s.date = d.date
        ORDER BY d.date
        """;

    public static async Task<ProfitPeriod> Read(NpgsqlDataSource dataSource, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Read(connection, shop, from, to, cancellationToken);
    }

    /// <summary>The same on the caller's connection, within its transaction if it has one (so it reads the days it has just refreshed).</summary>
    public static async Task<ProfitPeriod> Read(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(DaysSql, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var days = new List<ProfitDay>();
        string? currency = null;
        long lineNet = 0, costed = 0, without = 0, firstOrders = 0, firstRevenue = 0, repeatOrders = 0, repeatRevenue = 0, guestOrders = 0,
            guestRevenue = 0, shopifyFees = 0, ordersWithoutFees = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                currency ??= reader.IsDBNull(1) ? null : reader.GetString(1);
                var (orders, net, cogs, spend) = (reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(8));
                lineNet += reader.GetInt64(5);
                costed += reader.GetInt64(6);
                without += reader.GetInt64(7);
                firstOrders += reader.GetInt64(9);
                firstRevenue += reader.GetInt64(10);
                repeatOrders += reader.GetInt64(11);
                repeatRevenue += reader.GetInt64(12);
                guestOrders += reader.GetInt64(13);
                guestRevenue += reader.GetInt64(14);
                shopifyFees += reader.GetInt64(15);
                ordersWithoutFees += reader.GetInt64(16);
                var (shipping, fees, fixedExpenses) = (reader.GetInt64(17), reader.GetInt64(15) + reader.GetInt64(18), reader.GetInt64(19));
                var contribution = net - cogs - shipping - fees - spend;
                days.Add(new ProfitDay(DateOnly.FromDateTime(reader.GetDateTime(0)), orders, net, cogs, net - cogs, spend, shipping, fees, contribution,
                    fixedExpenses, contribution - fixedExpenses, reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12)));
            }

        var (allOrders, allNet, allCogs, allSpend) = (days.Sum(d => d.Orders), days.Sum(d => d.NetSalesMinor), days.Sum(d => d.CogsMinor),
            days.Sum(d => d.AdSpendMinor));
        var grossProfit = allNet - allCogs;
        var margin = Ratios.Of(grossProfit, allNet);
        var customers = new NewAndReturning(firstOrders, firstRevenue, Ratios.Minor(firstRevenue, firstOrders), repeatOrders, repeatRevenue,
            Ratios.Minor(repeatRevenue, repeatOrders), Ratios.Of(repeatRevenue, firstRevenue + repeatRevenue), Ratios.Of(firstRevenue, allSpend),
            guestOrders, guestRevenue);
        var contributionMargin = days.Sum(d => d.ContributionMarginMinor);
        var figures = new ProfitFigures(allOrders, allNet, allCogs, grossProfit, margin, allSpend, Ratios.Of(grossProfit, allSpend),
            margin is > 0 ? Ratios.Of(1, margin.Value) : null, Ratios.Of(costed, lineNet), without,
            days.Sum(d => d.ShippingCostMinor), days.Sum(d => d.PaymentFeesMinor), shopifyFees, ordersWithoutFees,
            contributionMargin, Ratios.Minor(contributionMargin, allOrders), days.Sum(d => d.FixedExpensesMinor), days.Sum(d => d.NetProfitMinor),
            customers);
        return new ProfitPeriod(figures, currency, days);
    }
}
