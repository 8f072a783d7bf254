using GrowthOs.Contracts.Sales;
using Microsoft.Extensions.Options;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Runs each pipeline for a shop and a range of reporting days, logging every execution in the execution log: after a
/// sync (<see cref="RefreshMartsConsumer"/>), or on demand through <c>POST /api/etl/run</c>.
/// </summary>
public sealed class PipelineRunner(
    EtlExecutionLog executions, DailySalesRefresher dailySales, StarSchemaRefresher star, InventorySnapshotRefresher inventory,
    CustomerSegmentRefresher segments, UsageDailyRefresher usage, Rolling30dRefresher rolling, MeasurementRefresher measurements,
    DataQualityRunner dataQuality, Npgsql.NpgsqlDataSource dataSource, IOptions<MartsOptions> options, TimeProvider clock,
    ILogger<PipelineRunner> logger)
{
    /// <summary>Every pipeline, in the order "all" runs them: the star and daily sales first, the checks last.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Pipelines.SalesPulse, Pipelines.StarSchema, Pipelines.InventorySnapshot, Pipelines.CustomerSegmentation, Pipelines.UsageDaily,
        Pipelines.Measurements, Pipelines.Rolling30d, Pipelines.DataQuality,
    ];

    public DateOnly Today(string shop) => options.Value.Today(shop, clock.GetUtcNow());

    /// <summary>The UTC dates from the shop's first order to today.</summary>
    public async Task<(DateOnly From, DateOnly To)> HistoryOf(string shop, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var command = dataSource.CreateCommand(
            "SELECT (min(created_at) AT TIME ZONE 'UTC')::date FROM transform.order_header WHERE shop_domain = @shop");
        command.Parameters.AddWithValue("shop", shop);
        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            DateOnly first => (first, today),
            DateTime first => (DateOnly.FromDateTime(first), today),
            _ => (today, today),
        };
    }

    /// <summary>
    /// The run's dates are UTC dates; each day-grained refresh covers the reporting days that may hold them
    /// (<see cref="MartsOptions.ReportingRange"/>).
    /// </summary>
    public Task<(string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)> SalesPulse(Guid? runId, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var (first, last) = options.Value.ReportingRange(shop, from, to, clock.GetUtcNow());
        return executions.Run(Pipelines.SalesPulse, runId, shop, first, last, () => dailySales.Refresh(shop, first, last, cancellationToken), r => r.Days.Count,
            cancellationToken);
    }

    /// <summary>The star schema of the days; after a sync (<paramref name="changedBy"/>), of the orders it changed when they are few.</summary>
    public Task<long> StarSchema(Guid? runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken, Guid? changedBy = null)
    {
        var (first, last) = options.Value.ReportingRange(shop, from, to, clock.GetUtcNow());
        return executions.Run(Pipelines.StarSchema, runId, shop, first, last, () => star.Refresh(shop, first, last, cancellationToken, changedBy), r => r,
            cancellationToken);
    }

    public Task<long> InventorySnapshot(Guid? runId, string shop, DateOnly day, CancellationToken cancellationToken) =>
        executions.Run(Pipelines.InventorySnapshot, runId, shop, day, day, () => inventory.Refresh(shop, day, cancellationToken), r => r, cancellationToken);

    public Task<long> CustomerSegmentation(Guid? runId, string shop, DateOnly day, CancellationToken cancellationToken) =>
        executions.Run(Pipelines.CustomerSegmentation, runId, shop, day, day, () => segments.Refresh(shop, day, cancellationToken), r => r, cancellationToken);

    /// <summary>Usage of the days asked for, and of any day missing since the shop's last processed day.</summary>
    public Task<long> UsageDaily(Guid? runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        executions.Run(Pipelines.UsageDaily, runId, shop, from, to, () => usage.Refresh(shop, from, to, cancellationToken, fillGap: true), r => r,
            cancellationToken);

    public Task<long> Measurements(Guid? runId, string shop, DateOnly day, CancellationToken cancellationToken) =>
        executions.Run(Pipelines.Measurements, runId, shop, day, day, () => measurements.Refresh(shop, day, cancellationToken), r => r, cancellationToken);

    /// <summary>Every shop's rolling 30 days, rebuilt whole.</summary>
    public Task<long> Rolling30d(Guid? runId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return executions.Run(Pipelines.Rolling30d, runId, "*", today.AddDays(-30), today.AddDays(-1), () => rolling.Refresh(cancellationToken), r => r,
            cancellationToken);
    }

    /// <summary>The checks of the whole shop, or, <paramref name="ofTheDays"/>, of its reporting days [from, to] (<see cref="DataQualityChecks"/>).</summary>
    public Task<IReadOnlyList<DataQualityOutcome>> DataQuality(Guid? runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken,
        bool ofTheDays = false) =>
        executions.Run(Pipelines.DataQuality, runId, shop, from, to,
            () => dataQuality.Run(shop, runId, cancellationToken, days: ofTheDays ? (from, to) : null), r => r.Count, cancellationToken);

    /// <summary>
    /// The marts after a sync of the reporting days [from, to], side by side, each on its own connection: the daily sales
    /// (and the recent days up to today, in the same pass when the run's days reach them), the star schema, and today's stock, segments and
    /// usage read only the orders, the catalogue and the stock. The measurements read the star schema, so they follow it.
    /// The checks, which read every mart, are the caller's to run after.
    /// </summary>
    public async Task<SyncRefresh> AfterSync(Guid runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var today = Today(shop);
        var sales = DailySales();
        var star = StarAndMeasurements();
        var days = TheDays();
        // WhenAll ends once every refresh has ended, failed or not: none outlives the caller's lock.
        await Task.WhenAll(sales, star, days);
        var ((currency, salesDays), (facts, products), (usageDays, variants, customers)) = (await sales, await star, await days);
        return new SyncRefresh(currency, salesDays, facts, today, usageDays, variants, customers, products);

        async Task<(string, IReadOnlyList<DailySalesFigure>)> DailySales()
        {
            var now = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var recentFrom = now.AddDays(-options.Value.RecentDays);
            if (options.Value.RecentDays <= 0 || to >= now) return await SalesPulse(runId, shop, from, to, cancellationToken);
            // The run's days that reach the recent ones are refreshed with them in one pass (a daily sync's do).
            if (to.AddDays(1) >= recentFrom) return await SalesPulse(runId, shop, from, now, cancellationToken);
            var (currency, days) = await SalesPulse(runId, shop, from, to, cancellationToken);
            var (recentCurrency, recent) = await SalesPulse(runId, shop, recentFrom, now, cancellationToken);
            return (currency.Length > 0 ? currency : recentCurrency,
                days.Concat(recent).GroupBy(d => d.Date).Select(g => g.Last()).OrderBy(d => d.Date).ToList());
        }

        async Task<(long, long)> StarAndMeasurements()
        {
            var facts = await StarSchema(runId, shop, from, to, cancellationToken, changedBy: runId);
            return (facts, await Measurements(runId, shop, today, cancellationToken));
        }

        async Task<(long, long, long)> TheDays()
        {
            var usageDays = await UsageDaily(runId, shop, from, today.AddDays(-1), cancellationToken);
            var variants = await InventorySnapshot(runId, shop, today, cancellationToken);
            return (usageDays, variants, await CustomerSegmentation(runId, shop, today, cancellationToken));
        }
    }

    /// <summary>
    /// The checks after a run, of the reporting days it refreshed (the whole shop for the checks that need it). When a
    /// mart disagrees with the orders, another run of the shop (a backfill beside a daily sync) may be committing orders
    /// of days this run refreshed, its own refresh still to come. The shop's whole history is then refreshed and checked
    /// again, whole, in one REPEATABLE READ transaction: the refresh and the checks see the same orders, so a race cannot
    /// upset them, and a wrong mart fails again.
    /// </summary>
    public async Task<IReadOnlyList<DataQualityOutcome>> CheckedDataQuality(Guid? runId, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        var (firstDay, lastDay) = options.Value.ReportingRange(shop, from, to, clock.GetUtcNow());
        // Days from the shop's first order on (a first sync's) are the whole shop, checked as such.
        var whole = firstDay <= (await HistoryOf(shop, cancellationToken)).From;
        var outcomes = await DataQuality(runId, shop, firstDay, lastDay, cancellationToken, ofTheDays: !whole);
        if (!outcomes.Any(o => !o.Passed && DataQualityChecks.MartChecks.Contains(o.Check))) return outcomes;
        // Read again rather than reused: the other run may be a backfill that has just added older orders.
        var (first, last) = await HistoryOf(shop, cancellationToken);
        logger.LogWarning("Mart checks of {Shop} disagree with its orders; refreshing {From} to {To} and checking again in one snapshot", shop, first, last);
        return await executions.Run(Pipelines.DataQuality, runId, shop, first, last, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            var (salesFrom, salesTo) = options.Value.ReportingRange(shop, first, last, clock.GetUtcNow());
            await dailySales.Refresh(connection, shop, salesFrom, salesTo, cancellationToken);
            await star.Refresh(connection, transaction, shop, salesFrom, salesTo, cancellationToken);
            var rechecked = await dataQuality.Run(connection, shop, runId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rechecked;
        }, r => r.Count, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="pipeline"/> (or every one, for "all") for the reporting days [from, to]: pipelines of a
    /// single day (the stock snapshot, the segments, the measurements) run for each day of the range.
    /// </summary>
    public async Task<IReadOnlyList<PipelineResult>> Run(Guid? runId, string pipeline, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken) => (await RunAll(runId, pipeline, shop, from, to, cancellationToken)).Results;

    /// <summary>The same, with the daily sales the sales pulse refreshed (none when it did not run), for their subscribers.</summary>
    public async Task<(IReadOnlyList<PipelineResult> Results, (string CurrencyCode, IReadOnlyList<DailySalesFigure> Days)? Sales)> RunAll(Guid? runId,
        string pipeline, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        (string, IReadOnlyList<DailySalesFigure>)? sales = null;
        var results = new List<PipelineResult>();
        foreach (var name in pipeline == "all" ? All : [pipeline])
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            long rows = 0;
            switch (name)
            {
                case Pipelines.SalesPulse:
                    sales = await SalesPulse(runId, shop, from, to, cancellationToken);
                    rows = sales.Value.Item2.Count;
                    break;
                case Pipelines.StarSchema: rows = await StarSchema(runId, shop, from, to, cancellationToken); break;
                case Pipelines.UsageDaily: rows = await UsageDaily(runId, shop, from, to, cancellationToken); break;
                case Pipelines.Rolling30d: rows = await Rolling30d(runId, cancellationToken); break;
                case Pipelines.DataQuality: rows = (await DataQuality(runId, shop, from, to, cancellationToken)).Count; break;
                default:
                    for (var day = from; day <= to; day = day.AddDays(1))
                        rows += name switch
                        {
                            Pipelines.InventorySnapshot => await InventorySnapshot(runId, shop, day, cancellationToken),
                            Pipelines.CustomerSegmentation => await CustomerSegmentation(runId, shop, day, cancellationToken),
                            Pipelines.Measurements => await Measurements(runId, shop, day, cancellationToken),
                            _ => throw new ArgumentException($"No pipeline '{name}'.", nameof(pipeline)),
                        };
                    break;
            }
            results.Add(new PipelineResult(name, rows, stopwatch.ElapsedMilliseconds));
        }
        return (results, sales);
    }
}

/// <summary>What <see cref="PipelineRunner.AfterSync"/> refreshed: the daily sales (for their subscribers) and each mart's rows.</summary>
public sealed record SyncRefresh(string Currency, IReadOnlyList<DailySalesFigure> Days, long Facts, DateOnly Today, long UsageDays, long Variants,
    long Customers, long Products);
