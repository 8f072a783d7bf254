using GrowthOs.Contracts.Sales;
using GrowthOs.Transform.Api;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Recomputes <c>sales_metrics_daily</c> of a shop for a range of its reporting days, <c>profit_daily</c> beside it, and
/// the customer mart behind the cohorts: <c>customer_daily</c> of those days and <c>customer_cohort</c> of the customers
/// whose days changed (definitions in sales_metrics_daily.sql, profit_daily.sql, customer_daily.sql and customer_cohort.sql).
/// </summary>
public sealed class DailySalesRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Sql = SqlScripts.Read("sales_metrics_daily.sql");
    private static readonly string ProfitSql = SqlScripts.Read("profit_daily.sql");
    private static readonly string CustomerDailySql = SqlScripts.Read("customer_daily.sql");
    private static readonly string CustomerCohortSql = SqlScripts.Read("customer_cohort.sql");

    public async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        // One transaction: the customers' days and their cohorts change together, or a later refresh finding the days
        // unchanged would leave the cohorts behind.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var refreshed = await Refresh(connection, shop, from, to, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refreshed;
    }

    /// <summary>The same on the caller's connection, within its transaction if it has one.</summary>
    public async Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> Refresh(
        NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<DailySalesFigure>();
        var currency = "";
        if (from > to) return (currency, days);
        // For the rest of the transaction (without one, the server's settings hold). A few days' statements read few rows,
        // which PostgreSQL's JIT took longer to compile than to run; a whole history's run as fast without it.
        await using (var settings = new NpgsqlCommand($"SET LOCAL work_mem = '{options.Value.RefreshWorkMemMegabytes}MB'; SET LOCAL jit = off", connection))
            await settings.ExecuteNonQueryAsync(cancellationToken);
        var tz = options.Value.TimeZoneOf(shop);
        var orders = await OrderIdRange.Find(connection, shop, from, to, tz, cancellationToken);
        await using var command = DaysCommand(Sql, connection, shop, from, to, tz, orders);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                currency = reader.GetString(1);
                days.Add(new DailySalesFigure(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(2), reader.GetInt64(3), RefundsMinor: reader.GetInt64(4)));
            }

        // The customers' days and first orders, which the profit and the detail below read.
        await RefreshCustomers(connection, shop, from, to, tz, orders, cancellationToken);

        // The same days' cost of goods beside their net sales (profit_daily.sql).
        await using (var profit = DaysCommand(ProfitSql, connection, shop, from, to, tz, orders))
            await profit.ExecuteNonQueryAsync(cancellationToken);

        // The units, the customers and the products of each day, for subscribers that compute figures of their own.
        var units = new Dictionary<DateOnly, long>();
        var customers = new Dictionary<DateOnly, List<CustomerOrders>>();
        var products = new Dictionary<DateOnly, List<ProductSales>>();
        await using (var detail = DaysCommand(DetailSql, connection, shop, from, to, tz, orders))
        {
            await using var reader = await detail.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var date = reader.GetFieldValue<DateOnly>(0);
                if (!reader.IsDBNull(4))
                    (products.TryGetValue(date, out var list) ? list : products[date] = []).Add(
                        new ProductSales(reader.GetInt64(1), reader.GetString(4), reader.GetInt64(2), reader.GetInt64(5)));
                else if (reader.IsDBNull(1)) units[date] = reader.GetInt64(2);
                else (customers.TryGetValue(date, out var list) ? list : customers[date] = []).Add(
                    new CustomerOrders(reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetFieldValue<DateOnly>(3)));
            }
        }
        // Each day's profit as the shop's cost rules stand now (Api/ProfitReader.cs), for subscribers that alert on it.
        var profits = days.Count == 0
            ? []
            : (await ProfitReader.Read(connection, shop, from, to, cancellationToken)).Days.ToDictionary(d => d.Date,
                d => new DailyProfitFigure(d.NetSalesMinor, d.CogsMinor, d.ShippingCostMinor, d.PaymentFeesMinor, d.FixedExpensesMinor, d.FirstOrders,
                    d.FirstOrderRevenueMinor, d.RepeatOrders, d.RepeatRevenueMinor));
        return (currency, days.Select(d => d with
        {
            Units = units.GetValueOrDefault(d.Date),
            Customers = customers.GetValueOrDefault(d.Date) ?? [],
            Products = products.GetValueOrDefault(d.Date) ?? [],
            Profit = profits.GetValueOrDefault(d.Date),
        })
            .OrderBy(d => d.Date).ToList());
    }

    /// <summary>
    /// The customers' days of the range, then the first and second orders of the customers whose days changed. Two runs of
    /// a shop refreshing other days may change the same customers: the shop's refreshes of customers take turns (a lock
    /// held to the end of the caller's transaction).
    /// </summary>
    private static async Task RefreshCustomers(NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, string tz,
        OrderIdRange orders, CancellationToken cancellationToken)
    {
        const string Turn = "SELECT pg_advisory_xact_lock(hashtextextended('customer_cohort:' || @shop, 0))";
        await using (var turn = new NpgsqlCommand(Turn, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds })
        {
            turn.Parameters.AddWithValue("shop", shop);
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }
        // A shop whose history the mart does not hold yet (loaded before it existed) has it built whole this once.
        await using (var built = new NpgsqlCommand("""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM transform.customer_mart WHERE shop_domain = @shop) THEN NULL
                        ELSE (SELECT (min(created_at) AT TIME ZONE @tz)::date FROM transform.order_header WHERE shop_domain = @shop) END
            """, connection))
        {
            built.Parameters.AddWithValue("shop", shop);
            built.Parameters.AddWithValue("tz", tz);
            var first = await built.ExecuteScalarAsync(cancellationToken) switch
            {
                DateOnly day => day,
                DateTime day => DateOnly.FromDateTime(day),
                _ => from,
            };
            if (first < from)
                (from, orders) = (first, await OrderIdRange.Find(connection, shop, first, to, tz, cancellationToken));
        }
        long[] changed;
        await using (var days = DaysCommand(CustomerDailySql, connection, shop, from, to, tz, orders))
            changed = (long[])(await days.ExecuteScalarAsync(cancellationToken))!;
        if (changed.Length > 0)
        {
            await using var cohorts = new NpgsqlCommand(CustomerCohortSql, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
            cohorts.Parameters.AddWithValue("shop", shop);
            cohorts.Parameters.AddWithValue("customers", changed);
            cohorts.Parameters.AddWithValue("tz", tz);
            await cohorts.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var record = new NpgsqlCommand("INSERT INTO transform.customer_mart (shop_domain) VALUES (@shop) ON CONFLICT DO NOTHING", connection);
        record.Parameters.AddWithValue("shop", shop);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A statement over a shop's reporting days from..to in time zone tz, whose orders' ids lie in orders.</summary>
    private static NpgsqlCommand DaysCommand(string sql, NpgsqlConnection connection, string shop, DateOnly from, DateOnly to, string tz,
        OrderIdRange orders)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("tz", tz);
        orders.AddTo(command.Parameters);
        return command;
    }

    /// <summary>
    /// Per day of counted orders: a row of its units (no customer; profit_daily's, refreshed just before), a row per
    /// customer who ordered (its orders that day and the reporting day of its first counted order ever, from the
    /// customer mart), and a row per product sold (its title, units and net revenue, the figures <c>measurements.sql</c>
    /// sums from the line facts).
    /// </summary>
    private const string DetailSql = """
        WITH counted AS (
            SELECT (o.created_at AT TIME ZONE @tz)::date AS date, o.order_id
            FROM transform.order_header o
            WHERE o.shop_domain = @shop AND NOT o.is_test AND o.cancelled_at IS NULL
              AND o.created_at >= (@from::date::timestamp AT TIME ZONE @tz) AND o.created_at < ((@to::date + 1)::timestamp AT TIME ZONE @tz)
        )
        SELECT p.date, NULL::bigint, p.units::bigint, NULL::date, NULL::text, NULL::bigint
        FROM transform.profit_daily p
        WHERE p.shop_domain = @shop AND p.date BETWEEN @from AND @to AND p.orders > 0
        UNION ALL
        SELECT d.date, d.customer_id, d.orders::bigint, f.first_date, NULL::text, NULL::bigint
        FROM transform.customer_daily d JOIN transform.customer_cohort f ON f.shop_domain = @shop AND f.customer_id = d.customer_id
        WHERE d.shop_domain = @shop AND d.date BETWEEN @from AND @to AND d.orders > 0
        UNION ALL
        SELECT c.date, COALESCE(l.product_id, 0), sum(l.quantity)::bigint, NULL::date, max(l.title),
               sum(l.unit_price_minor * l.quantity - l.total_discount_minor)::bigint
        FROM counted c JOIN transform.order_line_item l ON l.shop_domain = @shop AND l.order_id = c.order_id
                       AND l.order_id BETWEEN @first_order AND @last_order
        GROUP BY 1, 2
        """;
}
