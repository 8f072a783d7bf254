using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.Runs;
using MassTransit;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>
/// A marketing sync of one shop and source: initiated → requested → fetching (the Connector reads the pages, or an
/// asynchronous report, and stores each as it comes) → archiving (the manifest naming them is written) → upserting →
/// transforming → completed, or partial (the source refused part of the range; what it answered is loaded and the
/// watermark stays), or failed. Every command is followed by a durable wait that sends it again if no answer comes; a
/// source that asks to wait is retried after an exponential backoff with jitter, never shorter than it asked, within
/// the run's retry budget; so is a command whose consumer gave up because the infrastructure was away (the database
/// restarting, the store down). A replay starts at upserting from an archived manifest.
/// </summary>
public sealed partial class MarketingSyncStateMachine : MassTransitStateMachine<MarketingSyncState>
{
    private readonly TimeProvider _clock;
    private readonly Jitter _jitter;
    private readonly MarketingSyncOptions _settings;

    public MarketingSyncStateMachine(IOptions<MarketingSyncOptions> options, IOptions<BulkSyncOptions> bulkSync, TimeProvider clock, Jitter jitter,
        ILogger<MarketingSyncStateMachine> logger)
    {
        (_clock, _jitter, _settings) = (clock, jitter, options.Value);
        var resend = bulkSync.Value.CommandResendInterval;
        var settings = _settings;
        InstanceState(x => x.CurrentState);

        Event(() => SyncRequested, e => e.CorrelateById(x => x.Message.RunId));
        Event(() => ReplayRequested, e => e.CorrelateById(x => x.Message.RunId));
        OfRun(() => WaitElapsed, m => m.RunId);
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

        Initially(
            When(SyncRequested)
                .Then(context =>
                {
                    var message = context.Message;
                    var backfill = message.From is not null && message.To is not null;
                    context.Saga.Begin(backfill ? JobTypes.MarketingBackfill : JobTypes.MarketingSync, message.ShopDomain, message.Source, message.Initiator, message.RequestedAt);
                    (context.Saga.RequestedFrom, context.Saga.RequestedTo) = (message.From, message.To);
                })
                .EnterStep(Steps.Initiated, clock)
                .Activity(x => x.OfType<StartMarketingFetchActivity>())
                .WaitFor(resend, clock)
                .EnterStep(Steps.Requested, clock)
                .TransitionTo(Requested),
            When(ReplayRequested)
                .Then(context =>
                {
                    context.Saga.Begin(JobTypes.MarketingReplay, context.Message.ShopDomain, context.Message.Source, "user", context.Message.RequestedAt);
                    context.Saga.ManifestKey = context.Message.ManifestKey;
                })
                .EnterStep(Steps.Initiated, clock)
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => MarketingCommands.Upsert(context.Saga))
                .WaitFor(resend, clock)
                .TransitionTo(Upserting));

        // The fetch: sent again when nothing is heard back; its start, its last page and its manifest each move the run on.
        // Each answer names the attempt it belongs to, so a late answer of an earlier fetch moves nothing. The three come
        // from one consumer close together and may be handled out of order: a later one catches up the steps before it.
        During(Requested,
            When(WaitElapsed, IsDue)
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(resend, clock),
            When(FetchStarted, context => context.Message.Attempt == context.Saga.Attempt)
                .CatchUpTo(Steps.Fetching, clock)
                .WaitFor(settings.FetchTimeout, clock)
                .TransitionTo(Fetching));
        During(Fetching,
            When(WaitElapsed, IsDue)
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(settings.FetchTimeout, clock));
        During(Requested, Fetching,
            When(ReportFetched, context => context.Message.Attempt == context.Saga.Attempt)
                .Then(context => (context.Saga.Pages, context.Saga.RowsFetched) = (context.Message.Pages, context.Message.Rows))
                .CatchUpTo(Steps.Archiving, clock)
                .WaitFor(resend, clock)
                .TransitionTo(Archiving));
        During(Archiving,
            When(WaitElapsed, IsDue)
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(settings.FetchTimeout, clock)
                .TransitionTo(Fetching));

        During(Requested, Fetching, Archiving,
            When(ReportArchived, context => context.Message.Attempt == context.Saga.Attempt)
                .Then(context =>
                {
                    var (saga, message) = (context.Saga, context.Message);
                    (saga.ManifestKey, saga.Pages, saga.RowsFetched, saga.ArchivedBytes) = (message.ManifestKey, message.Pages, message.Rows, message.Bytes);
                    (saga.IsPartial, saga.PartialReason, saga.RetryAttempts) = (message.Partial, message.PartialReason, 0);
                })
                .CatchUpTo(Steps.Archiving, clock)
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => MarketingCommands.Upsert(context.Saga))
                .WaitFor(resend, clock)
                .TransitionTo(Upserting),
            When(FetchDeferred, context => context.Message.Attempt == context.Saga.Attempt && WithinRetryBudget(context))
                .Then(context =>
                {
                    context.Saga.RetryAttempts++;
                    context.Saga.Attempt++;
                    context.Saga.LastRetryReason = $"{context.Message.ErrorCode}: {context.Message.Reason}";
                })
                .WaitFor(context => RetryDelay(context, _jitter.Next()), clock)
                .TransitionTo(Requested),
            When(FetchDeferred, context => context.Message.Attempt == context.Saga.Attempt && !WithinRetryBudget(context))
                .Fail(context => context.Saga.CurrentStep,
                    context => $"Retry budget of {settings.RetryBudgetHours} h exhausted after {context.Saga.RetryAttempts} retries; last error {context.Message.ErrorCode}: {context.Message.Reason}",
                    clock)
                .TransitionTo(Failed),
            When(FetchFailed, context => context.Message.Attempt == context.Saga.Attempt)
                .Fail(context => context.Saga.CurrentStep, context => $"{context.Message.ErrorCode}: {context.Message.Reason}", clock)
                .TransitionTo(Failed),
            // A fault of the infrastructure (the store or the database away) is waited out; the wake-up fetches again.
            WaitAfterFault(When(FetchFaulted, context => context.Message.Message.Attempt == context.Saga.Attempt && RetriesFault(context))
                    .Then(context => context.Saga.Attempt++))
                .TransitionTo(Requested),
            When(FetchFaulted, context => context.Message.Message.Attempt == context.Saga.Attempt && !RetriesFault(context))
                .Fail(context => context.Saga.CurrentStep, FaultReason, clock)
                .TransitionTo(Failed));

        During(Upserting,
            When(WaitElapsed, IsDue)
                .Publish(context => MarketingCommands.Upsert(context.Saga))
                .WaitFor(resend, clock),
            When(ReportUpserted, context => context.Message.ManifestKey == context.Saga.ManifestKey)
                .Then(context =>
                {
                    var (saga, message) = (context.Saga, context.Message);
                    (saga.RowsUpserted, saga.RowsRejected) = (message.Rows, message.Rejected);
                    // A replay learns its days from the manifest it loaded.
                    (saga.Since, saga.Until) = (saga.Since ?? message.Since, saga.Until ?? message.Until);
                    // What it read was mostly left out: its figures are missing, not zero; the run says so and keeps its watermark.
                    if (message.Rejected > 0 && (decimal)message.Rejected / (message.Rows + message.Rejected) >= _settings.PartialRejectedShare)
                    {
                        saga.IsPartial = true;
                        saga.PartialReason = string.Join(" ", new[]
                        {
                            saga.PartialReason,
                            $"ROWS_REJECTED: {message.Rejected} of {message.Rows + message.Rejected} rows were left out.",
                            message.RejectedExamples is { Count: > 0 } examples ? "First left out: " + string.Join("; ", examples) + "." : null,
                        }.Where(part => part is not null));
                    }
                })
                .EnterStep(Steps.Transforming, clock)
                .Publish(context => MarketingCommands.Refresh(context.Saga))
                .WaitFor(resend, clock)
                .TransitionTo(Transforming),
            When(TransformFailed, context => context.Message.Step == Steps.Upserting && context.Message.ArchiveKey == context.Saga.ManifestKey)
                .Fail(Steps.Upserting, context => context.Message.Reason, clock)
                .TransitionTo(Failed),
            WaitAfterFault(When(UpsertFaulted, context => context.Message.Message.ManifestKey == context.Saga.ManifestKey && RetriesFault(context))),
            When(UpsertFaulted, context => context.Message.Message.ManifestKey == context.Saga.ManifestKey && !RetriesFault(context))
                .Fail(Steps.Upserting, FaultReason, clock)
                .TransitionTo(Failed));

        During(Transforming,
            When(WaitElapsed, IsDue)
                .Publish(context => MarketingCommands.Refresh(context.Saga))
                .WaitFor(resend, clock),
            When(MartsRefreshed)
                .Then(context => context.Saga.ResumeAt = null)
                .Activity(x => x.OfType<AdvanceMarketingWatermarkActivity<MartsRefreshed>>())
                .IfElse(context => context.Saga.IsPartial,
                    partial => partial.EnterStep(Steps.Partial, clock).TransitionTo(Partial),
                    whole => whole.EnterStep(Steps.Completed, clock).TransitionTo(Completed))
                .PublishEvent(context => new MarketingSyncCompleted(context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Source,
                    context.Saga.Since!.Value, context.Saga.Until!.Value, context.Saga.RowsUpserted, clock.GetUtcNow(), context.Saga.IsPartial, context.Saga.JobType),
                    _ => "completed"),
            When(TransformFailed, context => context.Message.Step == Steps.Transforming)
                .Fail(Steps.Transforming, context => context.Message.Reason, clock)
                .TransitionTo(Failed),
            WaitAfterFault(When(RefreshFaulted, RetriesFault)),
            When(RefreshFaulted, context => !RetriesFault(context))
                .Fail(Steps.Transforming, FaultReason, clock)
                .TransitionTo(Failed));

        // At-least-once delivery: a request heard again, a command answered twice, the late answers of an earlier step or
        // attempt, and a run that ended hearing the last of its messages are all expected, and dropped.
        DuringAny(Ignore(SyncRequested), Ignore(ReplayRequested));
        During(Requested, Ignore(ReportUpserted), Ignore(MartsRefreshed), Ignore(TransformFailed), Ignore(UpsertFaulted), Ignore(RefreshFaulted));
        During(Fetching, Ignore(FetchStarted), Ignore(ReportUpserted), Ignore(MartsRefreshed), Ignore(TransformFailed), Ignore(UpsertFaulted), Ignore(RefreshFaulted));
        During(Archiving, Ignore(FetchStarted), Ignore(ReportFetched), Ignore(ReportUpserted), Ignore(MartsRefreshed), Ignore(TransformFailed),
            Ignore(UpsertFaulted), Ignore(RefreshFaulted));
        During(Upserting, Ignore(FetchStarted), Ignore(ReportFetched), Ignore(ReportArchived), Ignore(FetchDeferred), Ignore(FetchFailed), Ignore(FetchFaulted),
            Ignore(MartsRefreshed), Ignore(RefreshFaulted));
        During(Transforming, Ignore(FetchStarted), Ignore(ReportFetched), Ignore(ReportArchived), Ignore(FetchDeferred), Ignore(FetchFailed), Ignore(FetchFaulted),
            Ignore(ReportUpserted), Ignore(UpsertFaulted));
        During(Completed, Partial, Failed,
            Ignore(WaitElapsed), Ignore(FetchStarted), Ignore(ReportFetched), Ignore(ReportArchived), Ignore(FetchDeferred), Ignore(FetchFailed), Ignore(FetchFaulted),
            Ignore(ReportUpserted), Ignore(UpsertFaulted), Ignore(MartsRefreshed), Ignore(TransformFailed), Ignore(RefreshFaulted));

        OnUnhandledEvent(context =>
        {
            logger.LogWarning("Marketing run {RunId} in {State} did not expect {Event}; it is ignored", context.Saga.CorrelationId, context.Saga.CurrentState, context.Event.Name);
            return context.Ignore();
        });
    }

    private void OfRun<T>(System.Linq.Expressions.Expression<Func<Event<T>>> @event, Func<T, Guid> runId) where T : class =>
        Event(@event, e =>
        {
            e.CorrelateById(context => runId(context.Message));
            e.OnMissingInstance(m => m.Discard());
        });

    private static bool IsDue(BehaviorContext<MarketingSyncState, SyncWaitElapsed> context) =>
        context.Saga.ResumeAt != null && context.Message.WaitToken == context.Saga.WaitToken;

    private bool WithinRetryBudget(BehaviorContext<MarketingSyncState, MarketingFetchDeferred> context) =>
        _clock.GetUtcNow() + RetryDelay(context, 1) <= context.Saga.RequestedAt + _settings.RetryBudget;

    /// <summary>The backoff, never shorter than the source asked.</summary>
    private TimeSpan RetryDelay(BehaviorContext<MarketingSyncState, MarketingFetchDeferred> context, double jitter)
    {
        var backoff = Backoff(context.Saga, jitter);
        var asked = TimeSpan.FromSeconds(context.Message.RetryAfterSeconds ?? 0);
        return asked > backoff ? asked : backoff;
    }

    /// <summary>base × 2^attempt, capped, of which a random 50–100 % is taken.</summary>
    private TimeSpan Backoff(MarketingSyncState saga, double jitter)
    {
        var exponential = Math.Min(_settings.RetryBaseSeconds * Math.Pow(2, Math.Min(saga.RetryAttempts, 30)), _settings.RetryMaxSeconds);
        return TimeSpan.FromSeconds(exponential * (0.5 + 0.5 * Math.Clamp(jitter, 0, 1)));
    }

    /// <summary>A consumer's fault is waited out when the infrastructure failed (not the command) and the budget allows the wait.</summary>
    private bool RetriesFault<T>(BehaviorContext<MarketingSyncState, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message) && _clock.GetUtcNow() + Backoff(context.Saga, 1) <= context.Saga.RequestedAt + _settings.RetryBudget;

    /// <summary>Why a consumer faulted, for the run's record: the budget spent, or the error itself.</summary>
    private string FaultReason<T>(BehaviorContext<MarketingSyncState, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message)
            ? $"Retry budget of {_settings.RetryBudgetHours} h exhausted after {context.Saga.RetryAttempts} retries; last error {RunBehaviors.FaultReason(context)}"
            : RunBehaviors.FaultReason(context);

    /// <summary>Waits (durably) for the fault's backoff; the step's wake-up then sends its command again.</summary>
    private EventActivityBinder<MarketingSyncState, Fault<T>> WaitAfterFault<T>(EventActivityBinder<MarketingSyncState, Fault<T>> binder) where T : class =>
        binder
            .WaitFor(context => Backoff(context.Saga, _jitter.Next()), _clock)
            .Then(context =>
            {
                context.Saga.RetryAttempts++;
                context.Saga.LastRetryReason = $"{TransientFaults.Code}: {RunBehaviors.FaultReason(context)}";
            });

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
    public Event<SyncWaitElapsed> WaitElapsed { get; private set; } = null!;
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
