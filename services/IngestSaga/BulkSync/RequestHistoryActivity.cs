using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// A shop's first sync read its orders back to the floor only. Once it has loaded them whole (and its marts are
/// refreshed), it asks, once per shop, for a backfill run of every order created from
/// <see cref="BulkSyncOptions.HistoryFrom"/> (or the shop's connection's history start) to the floor's day: the shop's whole history,
/// without holding up its first
/// dashboards. A run whose orders were not loaded whole leaves it to the next first sync.
/// </summary>
public sealed class RequestHistoryActivity(IWatermarkStore watermarks, IOptions<BulkSyncOptions> options, TimeProvider clock,
    ILogger<RequestHistoryActivity> logger)
    : IStateMachineActivity<BulkSyncState, MartsRefreshed>
{
    public async Task Execute(BehaviorContext<BulkSyncState, MartsRefreshed> context, IBehavior<BulkSyncState, MartsRefreshed> next)
    {
        var saga = context.Saga;
        // A connection whose history starts on or after the floor's day has no history before it to read.
        if (saga.HistoryBefore is { } before && saga.OrdersLoadedWhole && saga.HistoryRunId is null && options.Value.HistoryFromOf(saga.ShopDomain) < before)
        {
            var from = options.Value.HistoryFromOf(saga.ShopDomain);
            var runId = await watermarks.RequestHistory(saga.ShopDomain, NewId.NextGuid(), before, saga.CorrelationId, context.CancellationToken);
            saga.HistoryRunId = runId;
            // Saved with the run (its outbox); the same run id again, should this be repeated: a backfill run is started once per id.
            await context.RaiseEvent(new BackfillRequested(runId, saga.ShopDomain, from, before, clock.GetUtcNow()), "history");
            logger.LogInformation("The history of {ShopDomain}, its orders created from {From} to {Before}, is loaded by run {HistoryRunId}",
                saga.ShopDomain, from, before, runId);
        }
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, MartsRefreshed, TException> context, IBehavior<BulkSyncState, MartsRefreshed> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("request-history");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
