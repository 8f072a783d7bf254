using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class SalesPulseEndpoints
{
    public static IEndpointRouteBuilder MapSalesPulse(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard/sales-pulse", Get);
        return app;
    }

    /// <summary>
    /// The shop's last <paramref name="days"/> reporting days up to yesterday, or <paramref name="from"/> to
    /// <paramref name="to"/>, with totals (revenue in minor units).
    /// </summary>
    private static async Task<Results<Ok<SalesPulse>, ProblemHttpResult>> Get(string? shop, string? days, string? from, string? to,
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period) is { } problem)
            return problem;
        shop = bound;
        var (first, last) = (period.From, period.To);

        await using var command = dataSource.CreateCommand("""
            SELECT date, currency_code, orders, revenue_minor, aov_minor, gross_sales_minor, discounts_minor, refunds_minor, net_sales_minor,
                   orders_fulfilled, fulfillment_rate
            FROM transform.sales_metrics_daily
            WHERE shop_domain = @shop AND date BETWEEN @from AND @to ORDER BY date
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", first);
        command.Parameters.AddWithValue("to", last);
        var rows = new List<SalesPulseDay>();
        long orders = 0, revenue = 0, gross = 0, discounts = 0, refunds = 0, net = 0, fulfilled = 0;
        string? currency = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = new SalesPulseDay(reader.GetFieldValue<DateOnly>(0), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt32(9), reader.GetDecimal(10));
                currency ??= reader.GetString(1);
                (orders, revenue, gross, discounts) =
                    (orders + day.Orders, revenue + day.RevenueMinor, gross + day.GrossSalesMinor, discounts + day.DiscountsMinor);
                (refunds, net, fulfilled) = (refunds + day.RefundsMinor, net + day.NetSalesMinor, fulfilled + day.OrdersFulfilled);
                rows.Add(day);
            }
        }
        var aov = orders == 0 ? 0 : (long)Math.Round((decimal)revenue / orders, MidpointRounding.AwayFromZero);
        var fulfillmentRate = orders == 0 ? 0m : Math.Round((decimal)fulfilled / orders, 4, MidpointRounding.AwayFromZero);
        return TypedResults.Ok(new SalesPulse(shop, first, last, currency, orders, revenue, aov, gross, discounts, refunds, net, fulfilled, fulfillmentRate,
            rows));
    }
}
