using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>GET /api/cohorts?shop=&amp;days=</c> (or <c>from</c> and <c>to</c>; default the last 365 days, from the first day of
/// the first month): customers by the month of their first order, with their cumulative net revenue and gross profit per
/// customer by month and by days since the first order, repeat rate, CAC, LTV:CAC and payback (<see cref="CohortReader"/>).
/// <c>by=channel</c> splits each month by the first order's sales channel; <c>channel</c> and <c>product</c> keep the
/// customers whose first order came through that channel, held that product, or was placed with that discount code (any
/// case).
/// </summary>
public static class CohortEndpoints
{
    private static readonly string[] Splits = ["none", "channel"];

    public static IEndpointRouteBuilder MapCohorts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cohorts", Get).WithSummary("Customer cohorts by first-order month: LTV by month and day, repeat rate, CAC, LTV:CAC, payback");
        return app;
    }

    private static async Task<Results<Ok<CohortReport>, ProblemHttpResult>> Get(string? shop, string? days, string? from, string? to, string? by,
        string? channel, string? product, string? discount_code, NpgsqlDataSource dataSource, TimeProvider clock, IOptions<MartsOptions> marts,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (ReportingPeriod.BindForShop(shop, days, from, to, marts.Value.TimeZones, now, 365, out var bound, out var period) is { } problem)
            return problem;
        var split = string.IsNullOrEmpty(by) ? "none" : by;
        if (!Splits.Contains(split)) return Problems.InvalidParameter("by", $"by is one of {string.Join(", ", Splits)}.");
        if (channel is { Length: 0 or > 100 }) return Problems.InvalidParameter("channel", "channel is a sales channel's name (its source name, such as web).");
        if (discount_code is { Length: 0 or > 255 })
            return Problems.InvalidParameter("discount_code", "discount_code is a discount code the first order was placed with (up to 255 characters).");
        long? productId = null;
        if (!string.IsNullOrEmpty(product))
        {
            if (!long.TryParse(product, out var id) || id <= 0) return Problems.InvalidParameter("product", "product must be a product's numeric id.");
            productId = id;
        }

        var first = new DateOnly(period.From.Year, period.From.Month, 1);
        var today = marts.Value.Today(bound, now);
        var cohorts = await CohortReader.Read(dataSource, bound, first, period.To, today, split, channel, productId,
            cancellationToken, discount_code);
        return TypedResults.Ok(new CohortReport(bound, first, period.To, today, split, channel, productId, discount_code,
            await ShopCurrency.Find(dataSource, bound, cancellationToken), cohorts));
    }
}
