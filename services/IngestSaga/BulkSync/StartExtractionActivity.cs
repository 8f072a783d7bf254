using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>Decides from the watermark where the run starts reading, then asks the Connector for the bulk query.</summary>
public sealed class StartExtractionActivity(IWatermarkStore watermarks, TimeProvider clock) : IStateMachineActivity<BulkSyncState, SyncRequested>
{
    public async Task Execute(BehaviorContext<BulkSyncState, SyncRequested> context, IBehavior<BulkSyncState, SyncRequested> next)
    {
        var saga = context.Saga;
        saga.UpdatedSince = await watermarks.ExtractFrom(saga.ShopDomain, saga.Entity, clock.GetUtcNow(), context.CancellationToken);
        await context.Publish(BulkSyncCommands.StartExtraction(saga));
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, SyncRequested, TException> context, IBehavior<BulkSyncState, SyncRequested> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-extraction");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
