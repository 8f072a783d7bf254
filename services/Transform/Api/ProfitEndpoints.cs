using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>GET /api/profit?shop=&amp;days=</c> (or <c>from</c> and <c>to</c>, default the last 30 days): net sales, cost of
/// goods, gross profit and margin, ad spend, POAS, break-even ROAS and how much of the cost is known, shipping, payment
/// fees, contribution margin and net profit, and new against returning, beside the period before and day by day
/// (<see cref="ProfitReader"/>).
/// </summary>
public static class ProfitEndpoints
{
    public static IEndpointRouteBuilder MapProfit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/profit", Get)
            .WithSummary("Profit of a period: COGS, gross profit and margin, POAS, break-even ROAS, cost coverage, contribution margin, net profit");
        return app;
    }

    private static async Task<Results<Ok<ProfitReport>, ProblemHttpResult>> Get(string? shop, string? days, string? from, string? to,
        NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, marts.Value.TimeZones, clock.GetUtcNow(), 30, out var bound, out var period) is { } problem)
            return problem;
        var previous = period.Previous;
        var read = await ProfitReader.Read(dataSource, bound, period.From, period.To, cancellationToken);
        var (current, before) = (read.Figures, (await ProfitReader.Read(dataSource, bound, previous.From, previous.To, cancellationToken)).Figures);
        var change = new Dictionary<string, decimal?>
        {
            ["net_sales_minor"] = Ratios.Change(current.NetSalesMinor, before.NetSalesMinor),
            ["cogs_minor"] = Ratios.Change(current.CogsMinor, before.CogsMinor),
            ["gross_profit_minor"] = Ratios.Change(current.GrossProfitMinor, before.GrossProfitMinor),
            ["gross_margin"] = Ratios.Change(current.GrossMargin, before.GrossMargin),
            ["ad_spend_minor"] = Ratios.Change(current.AdSpendMinor, before.AdSpendMinor),
            ["poas"] = Ratios.Change(current.Poas, before.Poas),
            ["shipping_cost_minor"] = Ratios.Change(current.ShippingCostMinor, before.ShippingCostMinor),
            ["payment_fees_minor"] = Ratios.Change(current.PaymentFeesMinor, before.PaymentFeesMinor),
            ["contribution_margin_minor"] = Ratios.Change(current.ContributionMarginMinor, before.ContributionMarginMinor),
            ["net_profit_minor"] = Ratios.Change(current.NetProfitMinor, before.NetProfitMinor),
            ["first_order_revenue_minor"] = Ratios.Change(current.Customers.FirstOrderRevenueMinor, before.Customers.FirstOrderRevenueMinor),
            ["returning_revenue_share"] = Ratios.Change(current.Customers.ReturningRevenueShare, before.Customers.ReturningRevenueShare),
        };
        return TypedResults.Ok(new ProfitReport(bound, period.From, period.To, previous.From, previous.To, read.CurrencyCode, current, before, change,
            read.Days));
    }
}
