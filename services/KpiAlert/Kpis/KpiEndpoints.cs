using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.KpiAlert.Kpis;

public static class KpiEndpoints
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapKpis(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/kpis", Get);
        return app;
    }

    /// <summary>
    /// The period asked for: <c>from</c> to <c>to</c>, by default the last <see cref="KpiOptions.DefaultDays"/> complete
    /// reporting days of the shop; a problem naming the parameter when it is not a period this service answers for.
    /// </summary>
    public static IResult? Period(string? shop, string? from, string? to, KpiOptions options, DateTimeOffset now, out DateOnly first, out DateOnly last)
    {
        (first, last) = (default, default);
        if (string.IsNullOrWhiteSpace(shop)) return Problems.InvalidParameter("shop", "shop is required.");
        if (!QueryValues.TryDate(from, out var fromDate)) return Problems.InvalidParameter("from", "from must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(to, out var toDate)) return Problems.InvalidParameter("to", "to must be a date (YYYY-MM-DD) from 2000 to 2100.");
        var (_, defaultTo) = options.DefaultPeriod(shop, now);
        last = toDate ?? (fromDate is { } f && f > defaultTo ? f : defaultTo);
        first = fromDate ?? last.AddDays(1 - options.DefaultDays);
        if (first > last) return Problems.InvalidParameter("from", "from must not be after to.");
        if (last.DayNumber - first.DayNumber + 1 > MaxDays) return Problems.InvalidParameter("from", $"The range is at most {MaxDays} days.");
        if (first.Year < 2000 || last.Year > 2100) return Problems.InvalidParameter(first.Year < 2000 ? "from" : "to", "Dates are from 2000 to 2100.");
        return null;
    }

    /// <summary>
    /// The 18 KPIs of <c>from</c> to <c>to</c> (default: the last 7 complete reporting days of the shop) beside the period
    /// of the same length before, computed on demand from this service's copies.
    /// </summary>
    private static async Task<IResult> Get(string? shop, string? from, string? to, KpiStore store, IOptions<KpiOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var problem = Period(shop, from, to, options.Value, clock.GetUtcNow(), out var first, out var last);
        if (problem is not null || shop is null) return problem!;

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
