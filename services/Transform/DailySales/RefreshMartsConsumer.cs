using GrowthOs.Contracts.Sales;
using GrowthOs.Contracts.Transform;
using GrowthOs.Transform.DataQuality;
using GrowthOs.Transform.EtlLog;
using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using MassTransit;

namespace GrowthOs.Transform.DailySales;

/// <summary>
/// Refreshes the marts of the dates a run touched (daily sales), takes today's stock snapshot and customer segments,
/// runs the data-quality checks, and tells subscribers the new daily figures. A failed critical check fails the run
/// with the checks named.
/// </summary>
public sealed class RefreshMartsConsumer(
    DailySalesRefresher dailySales, StarSchemaRefresher star, InventorySnapshotRefresher inventory, CustomerSegmentRefresher segments, DataQualityRunner dataQuality,
    EtlExecutionLog executions, IOptions<MartsOptions> options, TimeProvider clock, ILogger<RefreshMartsConsumer> logger)
    : IConsumer<RefreshMarts>
{
    public async Task Consume(ConsumeContext<RefreshMarts> context)
    {
        var message = context.Message;

        var (currency, days) = await executions.Run(Pipelines.SalesPulse, message.RunId, message.ShopDomain, message.From, message.To,
            () => dailySales.Refresh(message.ShopDomain, message.From, message.To, context.CancellationToken),
            refreshed => refreshed.Days.Count,
            context.CancellationToken);
        logger.LogInformation("Refreshed daily sales of {Days} days from {From} to {To}", days.Count, message.From, message.To);

        var (starFrom, starTo) = options.Value.ReportingRange(message.ShopDomain, message.From, message.To);
        await executions.Run(Pipelines.StarSchema, message.RunId, message.ShopDomain, starFrom, starTo,
            () => star.Refresh(message.ShopDomain, starFrom, starTo, context.CancellationToken), rows => rows, context.CancellationToken);

        var today = options.Value.Today(message.ShopDomain, clock.GetUtcNow());
        var variants = await executions.Run(Pipelines.InventorySnapshot, message.RunId, message.ShopDomain, today, today,
            () => inventory.Refresh(message.ShopDomain, today, context.CancellationToken), rows => rows, context.CancellationToken);
        var customers = await executions.Run(Pipelines.CustomerSegmentation, message.RunId, message.ShopDomain, today, today,
            () => segments.Refresh(message.ShopDomain, today, context.CancellationToken), rows => rows, context.CancellationToken);
        logger.LogInformation("Snapshot of {Variants} variants' stock and {Customers} customers' segments as of {Today}", variants, customers, today);

        var outcomes = await executions.Run(Pipelines.DataQuality, message.RunId, message.ShopDomain, message.From, message.To,
            () => dataQuality.Run(message.ShopDomain, message.RunId, context.CancellationToken),
            checks => checks.Count,
            context.CancellationToken);
        foreach (var failed in outcomes.Where(o => !o.Passed))
            logger.LogWarning("Data-quality check {Check} ({Severity}) found {Violations} violations", failed.Check, failed.Severity, failed.Violations);
        var critical = outcomes.Where(o => !o.Passed && o.Severity == Severity.Critical).ToList();
        if (critical.Count > 0)
        {
            await context.Publish(new TransformFailed(message.RunId, message.ShopDomain, "transforming",
                "Critical data-quality checks failed: " + string.Join(", ", critical.Select(c => $"{c.Check} ({c.Violations} violations)"))));
            return;
        }

        if (days.Count > 0)
            await context.Publish(new DailySalesUpdated(message.RunId, message.ShopDomain, currency, days));
        await context.Publish(new MartsRefreshed(message.RunId, message.ShopDomain, days.Count));
    }
}
