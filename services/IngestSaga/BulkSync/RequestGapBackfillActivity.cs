using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// A daily sync whose orders watermark was older than the floor read back to the floor only. Once it has loaded its
/// orders whole, it asks (once per gap) for a backfill run of the orders created up to the floor's day and updated
/// since the watermark minus the lookback: what changed while the shop went unsynced. It says so with
/// <see cref="SyncGapFound"/>, which raises the <c>sync_gap</c> alert until that backfill completes whole. A run whose
/// orders were not loaded whole leaves it to the next daily sync, which finds the same gap.
/// </summary>
public sealed class RequestGapBackfillActivity(IWatermarkStore watermarks, IOptions<BulkSyncOptions> options, TimeProvider clock,
    ILogger<RequestGapBackfillActivity> logger)
    : IStateMachineActivity<BulkSyncState, MartsRefreshed>
{
    public async Task Execute(BehaviorContext<BulkSyncState, MartsRefreshed> context, IBehavior<BulkSyncState, MartsRefreshed> next)
    {
        var saga = context.Saga;
        if (saga.JobType == JobTypes.DailySync && saga.GapSince is { } since && saga.OrdersLoadedWhole && saga.GapRunId is null)
        {
            var settings = options.Value;
            var now = clock.GetUtcNow();
            // The floor as of now is no earlier than the one the run's orders were read from: an order created after its day was
            // updated after the floor, and so read by this run.
            var floor = WatermarkStore.Floor(now, settings);
            var to = DateOnly.FromDateTime(floor.UtcDateTime);
            var runId = await watermarks.RequestGapBackfill(saga.ShopDomain, Entities.Orders, since, NewId.NextGuid(), saga.CorrelationId,
                context.CancellationToken);
            saga.GapRunId = runId;
            // Saved with the run (its outbox); the same run id again, should this be repeated: a backfill run is started once per id.
            await context.RaiseEvent(new BackfillRequested(runId, saga.ShopDomain, settings.HistoryFromOf(saga.ShopDomain), to, now, since), "gap-backfill");
            await context.RaiseEvent(new SyncGapFound(saga.CorrelationId, saga.ShopDomain, Entities.Orders, since, floor, runId, now), "gap");
            logger.LogWarning(
                "The orders watermark of {ShopDomain} was older than the floor: the changes from {GapFrom} to {Floor} are read by backfill run {GapRunId}",
                saga.ShopDomain, since, floor, runId);
        }
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, MartsRefreshed, TException> context, IBehavior<BulkSyncState, MartsRefreshed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("request-gap-backfill");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
