using GrowthOs.Contracts.Transform;
using MassTransit;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// A pipeline run asked for through <c>POST /api/etl/run</c>, done off the request: each pipeline's execution (its rows,
/// its time, its error) is logged under the run's id, which <c>GET /api/etl/runs/{runId}</c> reads.
/// </summary>
public sealed class RunPipelinesConsumer(PipelineRunner runner, ILogger<RunPipelinesConsumer> logger) : IConsumer<RunPipelines>
{
    public async Task Consume(ConsumeContext<RunPipelines> context)
    {
        var message = context.Message;
        var results = await runner.Run(message.RunId, message.Pipeline, message.ShopDomain, message.From, message.To, context.CancellationToken);
        logger.LogInformation("Ran {Pipelines} pipelines for {ShopDomain}, {From} to {To}: {Rows} rows", results.Count, message.ShopDomain, message.From,
            message.To, results.Sum(r => r.Rows));
    }
}
