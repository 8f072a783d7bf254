using GrowthOs.ServiceDefaults.Hosting;
using Npgsql;

namespace GrowthOs.Transform.DailySales;

public static class SalesPulseEndpoints
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapSalesPulse(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/sales-pulse", Get);
        return app;
    }

    /// <summary>The last <paramref name="days"/> UTC days up to yesterday, with totals (revenue in minor units).</summary>
    private static async Task<IResult> Get(string? shop, int? days, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(shop))
            return Problems.InvalidParameter("shop", "shop is required.");
        if (days is < 1 or > MaxDays)
            return Problems.InvalidParameter("days", $"days must be between 1 and {MaxDays}.");
        var count = days ?? 30;
        var to = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var from = to.AddDays(1 - count);

        await using var command = dataSource.CreateCommand("""
            SELECT date, currency_code, orders, revenue_minor FROM transform.sales_metrics_daily
            WHERE shop_domain = @shop AND date BETWEEN @from AND @to ORDER BY date
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var rows = new List<object>();
        long orders = 0, revenue = 0;
        string? currency = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var dayOrders = reader.GetInt32(2);
                var dayRevenue = reader.GetInt64(3);
                currency ??= reader.GetString(1);
                orders += dayOrders;
                revenue += dayRevenue;
                rows.Add(new { date = reader.GetFieldValue<DateOnly>(0), orders = dayOrders, revenue_minor = dayRevenue });
            }
        }
        return Results.Json(new
        {
            shop,
            from,
            to,
            currency_code = currency,
            orders,
            revenue_minor = revenue,
            aov_minor = orders == 0 ? 0 : (long)Math.Round((decimal)revenue / orders, MidpointRounding.AwayFromZero),
            days = rows,
        });
    }

}
