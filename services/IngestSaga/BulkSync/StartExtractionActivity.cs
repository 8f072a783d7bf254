using GrowthOs.Contracts.Extraction;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// Decides from the entity's watermark where the run starts reading, then asks the Connector for the bulk query.
/// Orders start at the watermark minus the lookback (the shop's connection's, else the deployment's), never before the
/// floor, nor before the connection's own history start. Products and customers are the catalogue
/// and the customer base, needed whole whatever their age: the first run reads them all, later runs from the watermark
/// minus the lookback. Inventory is read whole every time (its levels change without touching an item's update time).
/// A backfill reads by creation time instead (and, one that fills a gap, by update time as well). A shop's first sync also marks the run
/// to load its history (see
/// <see cref="RequestHistoryActivity"/>).
/// </summary>
public sealed class StartExtractionActivity<TMessage>(IWatermarkStore watermarks, IOptions<BulkSyncOptions> options, TimeProvider clock)
    : IStateMachineActivity<BulkSyncState, TMessage>
    where TMessage : class
{
    public async Task Execute(BehaviorContext<BulkSyncState, TMessage> context, IBehavior<BulkSyncState, TMessage> next)
    {
        var saga = context.Saga;
        var settings = options.Value;
        saga.UpdatedSince = saga switch
        {
            { JobType: JobTypes.FullBackfill } => saga.GapSince,
            { Entity: Entities.Inventory } => null,
            { Entity: Entities.Orders } => await OrdersFrom(saga, settings, context.CancellationToken),
            _ => await watermarks.Current(saga.ShopDomain, saga.Entity, context.CancellationToken) is { } mark
                ? mark.AddMinutes(-settings.LookbackOf(saga.ShopDomain))
                : null,
        };
        await context.Publish(BulkSyncCommands.StartExtraction(saga));
        await next.Execute(context);
    }

    /// <summary>
    /// From the watermark; a shop's first sync (no watermark, no history asked for) starts at the floor and, with
    /// <see cref="BulkSyncOptions.LoadHistory"/>, marks the run to ask for the orders before it once it has loaded these.
    /// A daily sync whose watermark is older than the floor starts at the floor too, and marks the run to have the gap
    /// read by a backfill (see <see cref="RequestGapBackfillActivity"/>).
    /// </summary>
    private async Task<DateTimeOffset> OrdersFrom(BulkSyncState saga, BulkSyncOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mark = await watermarks.Current(saga.ShopDomain, Entities.Orders, cancellationToken);
        var from = WatermarkStore.ExtractFrom(mark, now, settings, saga.ShopDomain);
        // A connection whose history starts after the floor reads its first orders from that day, and nothing before it.
        if (mark is null && settings.HistoryStartOf(saga.ShopDomain) is { } start && start > from) from = start;
        if (saga.JobType == JobTypes.DailySync && settings.LoadHistory && mark is null
            && !await watermarks.HistoryRequested(saga.ShopDomain, cancellationToken))
            saga.HistoryBefore = DateOnly.FromDateTime(from.UtcDateTime);
        if (saga.JobType == JobTypes.DailySync && mark is { } stale && WatermarkStore.IsBeyondFloor(stale, now, settings, saga.ShopDomain))
            saga.GapSince = stale.AddMinutes(-settings.LookbackOf(saga.ShopDomain));
        return from;
    }

    public Task Faulted<TException>(BehaviorExceptionContext<BulkSyncState, TMessage, TException> context, IBehavior<BulkSyncState, TMessage> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-extraction");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
