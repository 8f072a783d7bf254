using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Transform;
using MassTransit;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>The machine's states, events and the conditions its transitions name.</summary>
public sealed partial class MarketingSyncStateMachine
{
    /// <summary>
    /// Every message names its run by its RunId (a fault, by the RunId of the command that faulted). A request starts the
    /// run; an answer, a wake-up or a fault for a run that does not exist is dropped.
    /// </summary>
    private void CorrelateEvents()
    {
        Event(() => SyncRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => ReplayRequested, e => e.CorrelateById(x => x.Message.RunId));
        OfRun(() => FetchStarted, m => m.RunId);
        OfRun(() => ReportFetched, m => m.RunId);
        OfRun(() => ReportArchived, m => m.RunId);
        OfRun(() => FetchDeferred, m => m.RunId);
        OfRun(() => FetchFailed, m => m.RunId);
        OfRun(() => ReportUpserted, m => m.RunId);
        OfRun(() => MartsRefreshed, m => m.RunId);
        OfRun(() => TransformFailed, m => m.RunId);
        OfRun(() => FetchFaulted, m => m.Message.RunId);
        OfRun(() => UpsertFaulted, m => m.Message.RunId);
        OfRun(() => RefreshFaulted, m => m.Message.RunId);
    }

    /// <summary>A retry's budget runs from the run's request.</summary>
    protected override DateTimeOffset RetryBudgetStart(MarketingSyncState run) => run.RequestedAt;

    private bool WithinRetryBudget(BehaviorContext<MarketingSyncState, MarketingFetchDeferred> context) =>
        WithinRetryBudget(context.Saga, RetryDelay(context, 1));

    /// <summary>The backoff, never shorter than the source asked.</summary>
    private TimeSpan RetryDelay(BehaviorContext<MarketingSyncState, MarketingFetchDeferred> context, double jitter) =>
        RetryDelay(context.Saga, context.Message.ErrorCode, context.Message.RetryAfterSeconds, jitter);

    public State Requested { get; private set; } = null!;
    public State Fetching { get; private set; } = null!;
    public State Archiving { get; private set; } = null!;
    public State Upserting { get; private set; } = null!;
    public State Transforming { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Partial { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<MarketingSyncRequested> SyncRequested { get; private set; } = null!;
    public Event<MarketingReplayRequested> ReplayRequested { get; private set; } = null!;
    public Event<MarketingFetchStarted> FetchStarted { get; private set; } = null!;
    public Event<MarketingReportFetched> ReportFetched { get; private set; } = null!;
    public Event<MarketingReportArchived> ReportArchived { get; private set; } = null!;
    public Event<MarketingFetchDeferred> FetchDeferred { get; private set; } = null!;
    public Event<MarketingFetchFailed> FetchFailed { get; private set; } = null!;
    public Event<MarketingReportUpserted> ReportUpserted { get; private set; } = null!;
    public Event<MartsRefreshed> MartsRefreshed { get; private set; } = null!;
    public Event<TransformFailed> TransformFailed { get; private set; } = null!;
    public Event<Fault<FetchMarketingReport>> FetchFaulted { get; private set; } = null!;
    public Event<Fault<UpsertMarketingReport>> UpsertFaulted { get; private set; } = null!;
    public Event<Fault<RefreshMarketingMarts>> RefreshFaulted { get; private set; } = null!;
}
