using GrowthOs.Contracts.Marketing;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>
/// Works out the days the run reads (a backfill's own, or the watermark's window for a daily sync) and sends the
/// first fetch. The range is decided once, when the run starts: a fetch sent again reads the same days.
/// </summary>
public sealed class StartMarketingFetchActivity(IMarketingWatermarks watermarks, IOptions<MarketingSyncOptions> options, TimeProvider clock)
    : IStateMachineActivity<MarketingSyncState, MarketingSyncRequested>
{
    public async Task Execute(BehaviorContext<MarketingSyncState, MarketingSyncRequested> context, IBehavior<MarketingSyncState, MarketingSyncRequested> next)
    {
        var saga = context.Saga;
        if (saga.RequestedFrom is { } from && saga.RequestedTo is { } to)
            (saga.Since, saga.Until) = (from, to);
        else
        {
            var settings = options.Value;
            var watermark = await watermarks.Current(saga.ShopDomain, saga.Source, context.CancellationToken);
            var (trailingDays, historyStart) = settings.WindowOf(saga.ShopDomain, saga.Source);
            (saga.Since, saga.Until) = MarketingWatermarks.Range(watermark, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), trailingDays,
                settings.FirstSyncDays, historyStart);
        }
        await context.Publish(MarketingCommands.Fetch(saga));
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<MarketingSyncState, MarketingSyncRequested, TException> context,
        IBehavior<MarketingSyncState, MarketingSyncRequested> next) where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("start-marketing-fetch");
    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
