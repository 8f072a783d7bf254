using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>A daily sync that completed whole moves its source's watermark to the last day it read.</summary>
public sealed class AdvanceMarketingWatermarkActivity<T>(IMarketingWatermarks watermarks) : IStateMachineActivity<MarketingSyncState, T>
    where T : class
{
    public async Task Execute(BehaviorContext<MarketingSyncState, T> context, IBehavior<MarketingSyncState, T> next)
    {
        var saga = context.Saga;
        if (!saga.IsPartial && saga.JobType != JobTypes.MarketingReplay && saga.Since is { } since && saga.Until is { } until)
            await watermarks.Advance(saga.ShopDomain, saga.Source, since, until, saga.CorrelationId, context.CancellationToken);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<MarketingSyncState, T, TException> context, IBehavior<MarketingSyncState, T> next)
        where TException : Exception => next.Faulted(context);

    public void Probe(ProbeContext context) => context.CreateScope("advance-marketing-watermark");
    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);
}
