using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.SyncRuns;
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

/// <summary>The commands a marketing run sends, built from its state, the same each time one is sent again.</summary>
public static class MarketingCommands
{
    public static FetchMarketingReport Fetch(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.Since!.Value, saga.Until!.Value, saga.Attempt);

    public static UpsertMarketingReport Upsert(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.ManifestKey!);

    public static RefreshMarketingMarts Refresh(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.Since!.Value, saga.Until!.Value);
}

/// <summary>Behaviours of the marketing machine only.</summary>
public static class MarketingSyncBehaviors
{
    private static readonly string[] FetchSteps = [Steps.Fetching, Steps.Archiving];

    /// <summary>
    /// Enters each step of the fetch up to <paramref name="step"/> that the run has not entered yet, in order: an answer
    /// handled before the one that should have come first still leaves every step on the run's record.
    /// </summary>
    public static EventActivityBinder<MarketingSyncState, T> CatchUpTo<T>(this EventActivityBinder<MarketingSyncState, T> binder, string step, TimeProvider clock)
        where T : class
    {
        foreach (var fetchStep in FetchSteps.Take(Array.IndexOf(FetchSteps, step) + 1))
            binder = binder.If(context => context.Saga.Steps.All(s => s.Step != fetchStep), enter => enter.EnterStep(fetchStep, clock));
        return binder;
    }
}
