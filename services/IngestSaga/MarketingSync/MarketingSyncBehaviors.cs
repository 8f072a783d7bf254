using GrowthOs.IngestSaga.SyncRuns;
using MassTransit;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>Behaviours of the marketing machine only.</summary>
public static class MarketingSyncBehaviors
{
    private static readonly string[] FetchSteps = [Steps.Fetching, Steps.Archiving];

    /// <summary>
    /// Enters each step of the fetch up to <paramref name="step"/> that the run has not entered yet, in order: an answer
    /// handled before the one that should have come first still leaves every step on the run's record.
    /// </summary>
    public static EventActivityBinder<MarketingSyncState, T> CatchUpTo<T>(this EventActivityBinder<MarketingSyncState, T> binder, string step,
        TimeProvider clock)
        where T : class
    {
        foreach (var fetchStep in FetchSteps.Take(Array.IndexOf(FetchSteps, step) + 1))
            binder = binder.If(context => context.Saga.Steps.All(s => s.Step != fetchStep), enter => enter.EnterStep(fetchStep, clock));
        return binder;
    }
}
