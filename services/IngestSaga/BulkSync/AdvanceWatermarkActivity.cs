using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// The run's marts are refreshed: the watermark of each entity loaded whole moves to the newest <c>updatedAt</c>
/// fetched. An entity skipped, loaded from partial data, or that fetched nothing leaves its watermark where it is, and
/// so does any run that did not read Shopify from the watermark (a replay, a backfill). Inventory has no watermark.
/// </summary>
public sealed class AdvanceWatermarkActivity(IWatermarkStore watermarks, ILogger<AdvanceWatermarkActivity> logger)
    : IStateMachineActivity<BulkSyncState, MartsRefreshed>
{
    public async Task Execute(BehaviorContext<BulkSyncState, MartsRefreshed> context, IBehavior<BulkSyncState, MartsRefreshed> next)
    {
        var saga = context.Saga;
        if (saga.JobType != JobTypes.DailySync)
        {
            logger.LogInformation("{JobType} run leaves the watermarks alone", saga.JobType);
            await next.Execute(context);
            return;
        }

        foreach (var outcome in saga.EntityOutcomes)
        {
            if (outcome is { Status: EntityStatus.Loaded, MaxUpdatedAt: { } newest, Records: > 0 } && outcome.Entity != Entities.Inventory)
            {
                // A record stamped after the bulk query was asked for carries a skewed clock; the watermark never passes
                // the moment the query was asked for, so nothing updated since is skipped by the next run.
                var asked = saga.Steps.LastOrDefault(s => s.Step == Steps.Requested && s.Entity == outcome.Entity)?.StartedAt ?? saga.RequestedAt;
                var through = newest < asked ? newest : asked;
                await watermarks.Advance(saga.ShopDomain, outcome.Entity, through, saga.CorrelationId, context.CancellationToken);
                logger.LogInformation("Watermark of {Entity} advanced to {UpdatedThrough:o}", outcome.Entity, through);
            }
            else
            {
                logger.LogInformation("Watermark of {Entity} stays: {Status} with {Records} records", outcome.Entity, outcome.Status, outcome.Records);
            }
        }
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, MartsRefreshed, TException> context, IBehavior<BulkSyncState, MartsRefreshed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("advance-watermark");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
