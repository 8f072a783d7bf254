using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Kpis;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// The analytics API the dashboards read: a shop's commerce overview, the health of its pipelines with their rate-limit
/// windows, and a run's evidence bundle; all from this service's copies.
/// </summary>
public static class AnalyticsEndpoints
{
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        app.MapGet("/analytics/commerce/overview", Overview);
        app.MapGet("/analytics/pipelines", Pipelines);
        app.MapGet("/analytics/runs/{runId}/evidence", Evidence).Produces(StatusCodes.Status200OK, contentType: "application/zip");
        // Where it was first served, kept for the clients that read it there.
        app.MapGet("/api/ingest/runs/{runId}/evidence", Evidence).Produces(StatusCodes.Status200OK, contentType: "application/zip");
        return app;
    }

    /// <summary>
    /// The period's 18 KPIs with their change, its profit and e-mail figures, its top products by net revenue, and the shop's
    /// open alerts.
    /// </summary>
    private static async Task<Results<Ok<CommerceOverview>, ProblemHttpResult>> Overview(string? shop, string? days, string? from, string? to,
        string? limit, KpiStore kpis, AnalyticsStore store, NpgsqlDataSource dataSource, IOptions<KpiOptions> kpiOptions,
        IOptions<AnalyticsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ReportingPeriod.BindForShop(shop, days, from, to, kpiOptions.Value.TimeZones, clock.GetUtcNow(), kpiOptions.Value.DefaultDays,
            out var bound, out var period) is { } problem) return problem;
        (shop, var first, var last) = (bound, period.From, period.To);
        if (!QueryValues.TryInt(limit, 1, 100, out var top)) return Problems.InvalidParameter("limit", "limit must be a whole number between 1 and 100.");
        var currency = await kpis.CurrencyOf(shop, cancellationToken);
        if (currency is null) return TypedResults.Problem(statusCode: 404, title: "No figures yet", detail: $"Nothing has been synced for {shop} yet.");

        var (previousFrom, previousTo, values) = await kpis.Compute(shop, first, last, cancellationToken);
        var products = await store.TopProducts(shop, first, last, top ?? options.Value.TopProducts, cancellationToken);
        var alerts = await AlertEndpoints.Read(dataSource, shop, "open", 200, cancellationToken);
        var (profitDays, profit) = await kpis.ComputeProfit(shop, first, last, cancellationToken);
        var email = await kpis.ComputeEmail(shop, first, last, cancellationToken);
        return TypedResults.Ok(new CommerceOverview(shop, first, last, previousFrom, previousTo, currency, KpiEndpoints.Views(values), products, alerts,
            profitDays, KpiEndpoints.ProfitViews(profit), KpiEndpoints.EmailViews(email)));
    }

    /// <summary>
    /// Every pipeline of the shop over the window (runs begun in it) with the alerts that moved together with its outages,
    /// and per source its hour-of-day rate-limit windows.
    /// </summary>
    private static async Task<Results<Ok<PipelineHealthReport>, ProblemHttpResult>> Pipelines(string? shop, AnalyticsStore store,
        IOptions<KpiOptions> kpiOptions, IOptions<AnalyticsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (ShopQuery.Bind(shop, out var domain) is { } badShop) return badShop;
        shop = domain;
        var now = clock.GetUtcNow();
        var since = now.AddDays(-options.Value.WindowDays);
        var zone = kpiOptions.Value.TimeZoneOf(shop);
        var steps = await store.Steps(shop, since, null, cancellationToken);
        var deferrals = await store.Deferrals(shop, since, now.AddMinutes(1), null, cancellationToken);
        var calls = await store.Calls(shop, since, now.AddMinutes(1), null, cancellationToken);
        var moved = await store.MovedAlerts(shop, since, cancellationToken);
        var pipelines = PipelineHealth.Pipelines(steps, deferrals).Select(p => p with
        {
            LastRun = p.LastRun is { } run ? run with { Steps = [] } : null,
            MovedAlerts = [.. moved.Where(a => a.Pipelines.Contains(p.Pipeline)).Select(a => a.Alert)],
        });
        var windows = PipelineHealth.RateLimitWindows(calls, deferrals, TimeZoneInfo.FindSystemTimeZoneById(zone), options.Value.AvoidAtUsagePercent);
        return TypedResults.Ok(new PipelineHealthReport(shop, since, now, options.Value.WindowDays, zone, options.Value.AvoidAtUsagePercent,
            [.. pipelines], windows));
    }

    /// <summary>A run's evidence bundle (a zip with its manifest of checksums), for its postmortem.</summary>
    /// <remarks>With <c>shop</c>, only a run of that shop (a key limited to a shop names it, and reads no other shop's run).</remarks>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Evidence(string runId,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "shop")] string? namedShop, AnalyticsStore store, IOptions<KpiOptions> kpiOptions,
        IOptions<AnalyticsOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(runId, out var id)) return Problems.InvalidParameter("runId", "runId must be a run's id (a GUID).");
        var shop = await store.ShopOfRun(id, cancellationToken);
        if (shop is null) return TypedResults.Problem(statusCode: 404, title: "Run not found", detail: $"No telemetry of run {id} has arrived.");
        if (namedShop is not null && !string.Equals(shop, namedShop.Trim(), StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: 404, title: "Run not found", detail: $"No run {id} of {namedShop.Trim()}.");

        var run = PipelineHealth.Summarize(await store.Steps(null, DateTimeOffset.MinValue, id, cancellationToken));
        var calls = await store.Calls(shop, default, default, id, cancellationToken);
        var deferrals = await store.Deferrals(shop, default, default, id, cancellationToken);
        var zoneId = kpiOptions.Value.TimeZoneOf(shop);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);

        // The windows of the hours of the day the run spanned, over the window before its end, for the sources it called.
        var end = run.EndedAt ?? clock.GetUtcNow();
        var (localStart, localEnd) = (TimeZoneInfo.ConvertTime(run.StartedAt, zone).DateTime, TimeZoneInfo.ConvertTime(end, zone).DateTime);
        var hours = new HashSet<int>();
        for (var hour = localStart.Date.AddHours(localStart.Hour); hour <= localEnd && hours.Count < 24; hour = hour.AddHours(1)) hours.Add(hour.Hour);
        var sources = calls.Select(c => c.Source).Append(run.Source).ToHashSet();
        var since = end.AddDays(-options.Value.WindowDays);
        var windows = PipelineHealth.RateLimitWindows(
                await store.Calls(shop, since, end.AddMinutes(1), null, cancellationToken),
                await store.Deferrals(shop, since, end.AddMinutes(1), null, cancellationToken),
                zone, options.Value.AvoidAtUsagePercent)
            .Where(w => sources.Contains(w.Source))
            .Select(w => w with { Hours = w.Hours.Where(h => hours.Contains(h.Hour)).ToList(), HoursToAvoid = w.HoursToAvoid.Where(hours.Contains).ToList() })
            .ToList();

        var bundle = EvidenceBundle.Write(
            new RunEvidence(shop, run, calls, deferrals, await store.Quality(id, cancellationToken), windows, zoneId), clock.GetUtcNow());
        return TypedResults.File(bundle, "application/zip", $"evidence-{id:N}.zip");
    }
}
