using GrowthOs.Contracts.Sales;
using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// A pipeline run asked for through <c>POST /api/etl/run</c>, done off the request: each pipeline's execution (its rows,
/// its time, its error) is logged under the run's id, which <c>GET /api/etl/runs/{runId}</c> reads. The daily sales it
/// refreshed are published (<see cref="DailySalesUpdated"/>) as after a sync, so the KPIs and alerts follow a cost change.
/// </summary>
public sealed class RunPipelinesConsumer(PipelineRunner runner, TimeProvider clock, ILogger<RunPipelinesConsumer> logger) : IConsumer<RunPipelines>
{
    public async Task Consume(ConsumeContext<RunPipelines> context)
    {
        var message = context.Message;
        var computedAt = clock.GetUtcNow();
        var (results, sales) = await runner.RunAll(message.RunId, message.Pipeline, message.ShopDomain, message.From, message.To, context.CancellationToken);
        if (sales is { Days.Count: > 0 } refreshed && refreshed.CurrencyCode.Length > 0)
            await context.PublishWithin(new DailySalesUpdated(message.RunId, message.ShopDomain, refreshed.CurrencyCode, refreshed.Days, computedAt));
        logger.LogInformation("Ran {Pipelines} pipelines for {ShopDomain}, {From} to {To}: {Rows} rows", results.Count, message.ShopDomain, message.From,
            message.To, results.Sum(r => r.Rows));
    }
}
