using GrowthOs.Contracts.Extraction;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// Decides from the entity's watermark where the run starts reading, then asks the Connector for the bulk query.
/// Orders start at the watermark minus the lookback, never before the floor. Products and customers are the catalogue
/// and the customer base, needed whole whatever their age: the first run reads them all, later runs from the watermark
/// minus the lookback. Inventory is read whole every time (its levels change without touching an item's update time).
/// A backfill reads by creation time instead.
/// </summary>
public sealed class StartExtractionActivity<TMessage>(IWatermarkStore watermarks, IOptions<BulkSyncOptions> options, TimeProvider clock)
    : IStateMachineActivity<BulkSyncState, TMessage>
    where TMessage : class
{
    public async Task Execute(BehaviorContext<BulkSyncState, TMessage> context, IBehavior<BulkSyncState, TMessage> next)
    {
        var saga = context.Saga;
        saga.UpdatedSince = saga switch
        {
            { JobType: JobTypes.FullBackfill } or { Entity: Entities.Inventory } => null,
            { Entity: Entities.Orders } => await watermarks.ExtractFrom(saga.ShopDomain, saga.Entity, clock.GetUtcNow(), context.CancellationToken),
            _ => await watermarks.Current(saga.ShopDomain, saga.Entity, context.CancellationToken) is { } mark
                ? mark.AddMinutes(-options.Value.LookbackMinutes)
                : null,
        };
        await context.Publish(BulkSyncCommands.StartExtraction(saga));
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, TMessage, TException> context, IBehavior<BulkSyncState, TMessage> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-extraction");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
