using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>GET /api/profit?shop=&amp;days=</c> (or <c>from</c> and <c>to</c>, default the last 30 days): net sales, cost of
/// goods, gross profit and margin, ad spend, POAS, break-even ROAS and how much of the cost is known, and new against
/// returning, beside the period before (profit_daily and marketing_daily).
/// </summary>
public static class ProfitEndpoints
{
    public static IEndpointRouteBuilder MapProfit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/profit", Get).WithSummary("Profit of a period: COGS, gross profit and margin, POAS, break-even ROAS, cost coverage");
        return app;
    }

    private static async Task<Results<Ok<ProfitReport>, ProblemHttpResult>> Get(string? shop, string? days, string? from, string? to,
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period) is { } problem)
            return problem;
        var previous = period.Previous;
        var (current, currency) = await Figures(dataSource, bound, period, cancellationToken);
        var (before, _) = await Figures(dataSource, bound, previous, cancellationToken);
        var change = new Dictionary<string, decimal?>
        {
            ["net_sales_minor"] = Change(current.NetSalesMinor, before.NetSalesMinor),
            ["cogs_minor"] = Change(current.CogsMinor, before.CogsMinor),
            ["gross_profit_minor"] = Change(current.GrossProfitMinor, before.GrossProfitMinor),
            ["gross_margin"] = Change(current.GrossMargin, before.GrossMargin),
            ["ad_spend_minor"] = Change(current.AdSpendMinor, before.AdSpendMinor),
            ["poas"] = Change(current.Poas, before.Poas),
            ["first_order_revenue_minor"] = Change(current.Customers.FirstOrderRevenueMinor, before.Customers.FirstOrderRevenueMinor),
            ["returning_revenue_share"] = Change(current.Customers.ReturningRevenueShare, before.Customers.ReturningRevenueShare),
        };
        return TypedResults.Ok(new ProfitReport(bound, period.From, period.To, previous.From, previous.To, currency, current, before, change));
    }

    private static async Task<(ProfitFigures Figures, string? Currency)> Figures(NpgsqlDataSource dataSource, string shop, ReportingPeriod period,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT min(currency_code) FROM transform.profit_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to),
                   COALESCE((SELECT sum(orders) FROM transform.sales_metrics_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to), 0)::bigint,
                   COALESCE(sum(net_sales_minor), 0)::bigint, COALESCE(sum(cogs_minor), 0)::bigint, COALESCE(sum(line_net_minor), 0)::bigint,
                   COALESCE(sum(costed_line_net_minor), 0)::bigint, COALESCE(sum(lines_without_cost), 0)::bigint,
                   COALESCE((SELECT sum(spend_minor) FROM transform.marketing_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to), 0)::bigint,
                   COALESCE(sum(first_orders), 0)::bigint, COALESCE(sum(first_revenue_minor), 0)::bigint,
                   COALESCE(sum(repeat_orders), 0)::bigint, COALESCE(sum(repeat_revenue_minor), 0)::bigint,
                   COALESCE(sum(guest_orders), 0)::bigint, COALESCE(sum(guest_revenue_minor), 0)::bigint
            FROM transform.profit_daily WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", period.From);
        command.Parameters.AddWithValue("to", period.To);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var currency = reader.IsDBNull(0) ? null : reader.GetString(0);
        var (orders, net, cogs, lineNet, costed, without, spend) =
            (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
        var grossProfit = net - cogs;
        var margin = Ratios.Of(grossProfit, net);
        var (firstOrders, firstRevenue, repeatOrders, repeatRevenue, guestOrders, guestRevenue) =
            (reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.GetInt64(12), reader.GetInt64(13));
        var customers = new NewAndReturning(firstOrders, firstRevenue, Ratios.Minor(firstRevenue, firstOrders), repeatOrders, repeatRevenue,
            Ratios.Minor(repeatRevenue, repeatOrders), Ratios.Of(repeatRevenue, firstRevenue + repeatRevenue), Ratios.Of(firstRevenue, spend),
            guestOrders, guestRevenue);
        return (new ProfitFigures(orders, net, cogs, grossProfit, margin, spend, Ratios.Of(grossProfit, spend),
            margin is > 0 ? Ratios.Of(1, margin.Value) : null, Ratios.Of(costed, lineNet), without, customers), currency);
    }

    private static decimal? Change(decimal? current, decimal? previous) =>
        current is null || previous is null or 0
            ? null
            : Math.Round((current.Value - previous.Value) / Math.Abs(previous.Value), 4, MidpointRounding.AwayFromZero);
}
