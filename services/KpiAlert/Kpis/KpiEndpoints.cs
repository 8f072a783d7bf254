using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.KpiAlert.Kpis;

public static class KpiEndpoints
{
    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", Get);
        return app;
    }

    /// <summary>
    /// The 18 KPIs of <c>from</c> to <c>to</c> (default: the last 7 complete reporting days of the shop) beside the period
    /// of the same length before, computed on demand from this service's copies.
    /// </summary>
    private static async Task<IResult> Get(string? shop, string? days, string? from, string? to, KpiStore store, IOptions<KpiOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (ReportingPeriod.BindForShop(shop, days, from, to, domain => options.Value.Today(domain, now), options.Value.DefaultDays, out var bound, out var period)
            is { } problem) return problem;
        (shop, var first, var last) = (bound, period.From, period.To);

        var currency = await store.CurrencyOf(shop, cancellationToken);
        if (currency is null)
            return Results.Problem(statusCode: 404, title: "No KPIs yet", detail: $"Nothing has been synced for {shop} yet.");
        var (previousFrom, previousTo, kpis) = await store.Compute(shop, first, last, cancellationToken);
        var (salesDays, marketingDays) = await store.Coverage(shop, previousFrom, last, cancellationToken);
        return Results.Json(new
        {
            shop,
            from = first,
            to = last,
            previous_from = previousFrom,
            previous_to = previousTo,
            currency_code = currency,
            // Days of both periods the copies hold: fewer than `days` means some figures have not arrived (or were never synced).
            coverage = new { days = last.DayNumber - previousFrom.DayNumber + 1, sales_days = salesDays, marketing_days = marketingDays },
            kpis = Views(kpis),
        });
    }

    /// <summary>The KPIs as every answer that carries them shows them.</summary>
    public static IEnumerable<object> Views(IEnumerable<Kpi> kpis) =>
        kpis.Select(k => new { name = k.Name, kind = k.Kind, better = KpiCalculator.Better(k.Name), value = k.Value, previous = k.Previous, change = k.Change });
}
