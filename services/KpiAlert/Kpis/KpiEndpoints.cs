using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
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
    /// The 18 KPIs with their activation baselines, the profit and the e-mail figures of <c>from</c> to <c>to</c> (default:
    /// the last 7 complete reporting days of the shop) beside the period of the same length before, computed on demand from
    /// this service's copies.
    /// </summary>
    private static async Task<Results<Ok<KpiReport>, ProblemHttpResult>> Get(string? shop, string? days, string? from, string? to, KpiStore store,
        IOptions<KpiOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, options.Value.TimeZones, clock.GetUtcNow(), options.Value.DefaultDays, out var bound,
            out var period) is { } problem) return problem;
        (shop, var first, var last) = (bound, period.From, period.To);

        var currency = await store.CurrencyOf(shop, cancellationToken);
        if (currency is null)
            return TypedResults.Problem(statusCode: 404, title: "No KPIs yet", detail: $"Nothing has been synced for {shop} yet.");
        var (previousFrom, previousTo, kpis) = await store.Compute(shop, first, last, cancellationToken);
        var (salesDays, marketingDays) = await store.Coverage(shop, previousFrom, last, cancellationToken);
        var coverage = new KpiCoverage(last.DayNumber - previousFrom.DayNumber + 1, salesDays, marketingDays);
        var (profitDays, profit) = await store.ComputeProfit(shop, first, last, cancellationToken);
        var email = await store.ComputeEmail(shop, first, last, cancellationToken);
        var baselines = await store.Baselines(shop, first, last, kpis, cancellationToken);
        return TypedResults.Ok(new KpiReport(shop, first, last, previousFrom, previousTo, currency, coverage, Views(kpis), profitDays, ProfitViews(profit),
            EmailViews(email), baselines));
    }

    /// <summary>The profit figures as the KPIs are shown.</summary>
    public static IReadOnlyList<KpiView> ProfitViews(IEnumerable<Kpi> figures) => Views(figures, ProfitKpis.Better);

    /// <summary>The e-mail figures as the KPIs are shown.</summary>
    public static IReadOnlyList<KpiView> EmailViews(IEnumerable<Kpi> figures) => Views(figures, EmailKpis.Better);

    /// <summary>The KPIs as every answer that carries them shows them.</summary>
    public static IReadOnlyList<KpiView> Views(IEnumerable<Kpi> kpis) => Views(kpis, KpiCalculator.Better);

    private static IReadOnlyList<KpiView> Views(IEnumerable<Kpi> figures, Func<string, string?> better) =>
        [.. figures.Select(k => new KpiView(k.Name, k.Kind, better(k.Name), k.Value, k.Previous, k.Change))];
}
