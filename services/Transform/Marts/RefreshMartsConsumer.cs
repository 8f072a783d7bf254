using GrowthOs.Contracts.Inventory;
using GrowthOs.Contracts.Sales;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using MassTransit;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// After a sync: refreshes daily sales and the star schema of the dates the run touched, the usage days, and today's
/// stock snapshot, customer segments and product measurements, side by side (<see cref="PipelineRunner.AfterSync"/>);
/// then runs the data-quality checks and tells subscribers the new daily figures. A failed critical check fails the run
/// with the checks named. One refresh of a run at a time: the command sent again (its answer lost) waits for the first,
/// then refreshes again, which changes nothing.
/// </summary>
[FaultsWaitedOutByTheRun]
public sealed class RefreshMartsConsumer(PipelineRunner pipelines, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<RefreshMartsConsumer> logger)
    : IConsumer<RefreshMarts>
{
    public async Task Consume(ConsumeContext<RefreshMarts> context)
    {
        var (runId, shop, from, to, cancellationToken) = (context.Message.RunId, context.Message.ShopDomain, context.Message.From, context.Message.To,
            context.CancellationToken);
        var computedAt = clock.GetUtcNow();
        var refreshed = await Refresh(runId, shop, from, to, cancellationToken);
        await context.PublishWithin(DataQualityOutcomes.Checked(runId, shop, computedAt, refreshed.Checks));
        var critical = DataQualityOutcomes.CriticalFailures(refreshed.Checks);
        if (critical.Count > 0)
        {
            await context.PublishWithin(new TransformFailed(runId, shop, SyncSteps.Transforming,
                "Critical data-quality checks failed: " + string.Join(", ", critical.Select(c => $"{c.Check} ({c.Violations} violations)"))));
            return;
        }

        if (refreshed.Days.Count > 0)
            await context.PublishWithin(new DailySalesUpdated(runId, shop, refreshed.Currency, refreshed.Days, computedAt));
        await context.PublishWithin(await StockAlerts(runId, shop, computedAt, cancellationToken));
        await context.PublishWithin(new MartsRefreshed(runId, shop, refreshed.Days.Count));
    }

    /// <summary>The latest stock snapshot's variants not in stock, for subscribers (the KPI/Alert service's stock-out rule).</summary>
    private async Task<StockAlertsUpdated> StockAlerts(Guid runId, string shop, DateTimeOffset computedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT snapshot_date, variant_id, product_id, sku, COALESCE(product_title || COALESCE(' - ' || variant_title, ''), variant_title), stock_status,
                   velocity_tier, daily_velocity, days_of_cover, quantity_available
            FROM transform.v_inventory_alerts WHERE shop_domain = @shop ORDER BY variant_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        var variants = new List<StockAlert>();
        var snapshot = pipelines.Today(shop);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshot = reader.GetFieldValue<DateOnly>(0);
            variants.Add(new StockAlert(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetDecimal(8), reader.GetInt32(9)));
        }
        return new StockAlertsUpdated(runId, shop, snapshot, computedAt, variants);
    }

    private async Task<(string Currency, IReadOnlyList<DailySalesFigure> Days, IReadOnlyList<DataQualityOutcome> Checks)> Refresh(
        Guid runId, string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var runLock = await AdvisoryLock.Take(dataSource, $"marts:{runId}", cancellationToken);

        var refreshed = await pipelines.AfterSync(runId, shop, from, to, cancellationToken);
        logger.LogInformation(
            "Refreshed {Days} days of sales ({Facts} line facts) from {From} to {To}, {UsageDays} usage days, "
            + "and as of {Today} {Variants} variants' stock, {Customers} customers' segments, {Products} products' measurements",
            refreshed.Days.Count, refreshed.Facts, from, to, refreshed.UsageDays, refreshed.Today, refreshed.Variants, refreshed.Customers,
            refreshed.Products);

        var outcomes = await pipelines.CheckedDataQuality(runId, shop, from, to, cancellationToken);
        foreach (var failed in outcomes.Where(o => !o.Passed))
            logger.LogWarning("Data-quality check {Check} ({Severity}) found {Violations} violations", failed.Check, failed.Severity, failed.Violations);
        return (refreshed.Currency, refreshed.Days, outcomes);
    }
}
