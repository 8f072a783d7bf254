using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// Every step of a daily sync succeeded: the watermark moves to the newest <c>updatedAt</c> fetched. An empty run, and
/// any run that did not read Shopify from the watermark (a replay), leaves it where it is.
/// </summary>
public sealed class AdvanceWatermarkActivity(IWatermarkStore watermarks, ILogger<AdvanceWatermarkActivity> logger)
    : IStateMachineActivity<BulkSyncState, MartsRefreshed>
{
    public async Task Execute(BehaviorContext<BulkSyncState, MartsRefreshed> context, IBehavior<BulkSyncState, MartsRefreshed> next)
    {
        var saga = context.Saga;
        if (saga.JobType != JobTypes.DailySync)
        {
            logger.LogInformation("{JobType} run leaves the watermark alone", saga.JobType);
        }
        else if (saga.MaxUpdatedAt is { } newest && saga.OrdersUpserted > 0)
        {
            // A record stamped after the bulk query was asked for carries a skewed clock; the watermark never passes
            // the moment the query was asked for, so nothing updated since is skipped by the next run.
            var asked = saga.Steps.FirstOrDefault(s => s.Step == Steps.Requested)?.StartedAt ?? saga.RequestedAt;
            var through = newest < asked ? newest : asked;
            await watermarks.Advance(saga.ShopDomain, saga.Entity, through, saga.CorrelationId, context.CancellationToken);
            logger.LogInformation("Watermark of {Entity} advanced to {UpdatedThrough:o}", saga.Entity, through);
        }
        else
        {
            logger.LogInformation("Run fetched no {Entity}; watermark stays", saga.Entity);
        }
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, MartsRefreshed, TException> context, IBehavior<BulkSyncState, MartsRefreshed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("advance-watermark");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
