using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.SyncRuns;
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
public sealed partial class MarketingSyncStateMachine : RunStateMachine<MarketingSyncState>
{
    private readonly MarketingSyncOptions _settings;

    public MarketingSyncStateMachine(IOptions<MarketingSyncOptions> options, TimeProvider clock, Jitter jitter, ILogger<MarketingSyncStateMachine> logger)
        : base(options.Value, clock, jitter)
    {
        _settings = options.Value;
        var resend = _settings.CommandResendInterval;
        var settings = _settings;

        CorrelateEvents();

        Initially(
            When(SyncRequested)
                .Then(context => context.Saga.BeginSync(context.Message))
                .EnterStep(Steps.Initiated, clock)
                .Activity(x => x.OfType<StartMarketingFetchActivity>())
                .WaitFor(resend, clock)
                .EnterStep(Steps.Requested, clock)
                .TransitionTo(Requested),
            When(ReplayRequested)
                .Then(context => context.Saga.BeginReplay(context.Message))
                .EnterStep(Steps.Initiated, clock)
                .EnterStep(Steps.Upserting, clock)
                .Publish(context => MarketingCommands.Upsert(context.Saga))
                .WaitFor(resend, clock)
                .TransitionTo(Upserting));

        // The fetch: sent again when nothing is heard back; its start, its last page and its manifest each move the run on.
        // Each answer names the attempt it belongs to, so a late answer of an earlier fetch moves nothing. The three come
        // from one consumer close together and may be handled out of order: a later one catches up the steps before it.
        During(Requested,
            TimeToSendAgain
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(resend, clock),
            When(FetchStarted, context => context.Message.Attempt == context.Saga.Attempt)
                .CatchUpTo(Steps.Fetching, clock)
                .WaitFor(settings.FetchTimeout, clock)
                .TransitionTo(Fetching));
        During(Fetching,
            TimeToSendAgain
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(settings.FetchTimeout, clock));
        During(Requested, Fetching,
            When(ReportFetched, context => context.Message.Attempt == context.Saga.Attempt)
                .Then(context => (context.Saga.Pages, context.Saga.RowsFetched) = (context.Message.Pages, context.Message.Rows))
                .CatchUpTo(Steps.Archiving, clock)
                .WaitFor(resend, clock)
                .TransitionTo(Archiving));
        During(Archiving,
            TimeToSendAgain
                .Publish(context => MarketingCommands.Fetch(context.Saga))
                .WaitFor(settings.FetchTimeout, clock)
                .TransitionTo(Fetching));

        During(Requested, Fetching, Archiving,
            When(ReportArchived, context => context.Message.Attempt == context.Saga.Attempt)
                .Then(context => context.Saga.Archived(context.Message))
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
                .WaitFor(context => RetryDelay(context, Jitter.Next()), clock)
                .TransitionTo(Requested),
            When(FetchDeferred, context => context.Message.Attempt == context.Saga.Attempt && !WithinRetryBudget(context))
                .Fail(context => context.Saga.CurrentStep,
                    context => BudgetSpent(context.Saga, $"{context.Message.ErrorCode}: {context.Message.Reason}"), clock)
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
            TimeToSendAgain
                .Publish(context => MarketingCommands.Upsert(context.Saga))
                .WaitFor(resend, clock),
            When(ReportUpserted, context => context.Message.ManifestKey == context.Saga.ManifestKey)
                .Then(context => context.Saga.Upserted(context.Message, _settings.PartialRejectedShare))
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
            TimeToSendAgain
                .Publish(context => MarketingCommands.Refresh(context.Saga))
                .WaitFor(resend, clock),
            When(MartsRefreshed)
                .Then(context => context.Saga.ResumeAt = null)
                .Activity(x => x.OfType<AdvanceMarketingWatermarkActivity<MartsRefreshed>>())
                .IfElse(context => context.Saga.IsPartial,
                    partial => partial.EnterStep(Steps.Partial, clock).TransitionTo(Partial),
                    whole => whole.EnterStep(Steps.Completed, clock).TransitionTo(Completed))
                .PublishEvent(context => new MarketingSyncCompleted(context.Saga.CorrelationId, context.Saga.ShopDomain, context.Saga.Source,
                    context.Saga.Since!.Value, context.Saga.Until!.Value, context.Saga.RowsUpserted, clock.GetUtcNow(), context.Saga.IsPartial,
                    context.Saga.JobType),
                    _ => "completed"),
            When(TransformFailed, context => context.Message.Step == Steps.Transforming)
                .Fail(Steps.Transforming, context => context.Message.Reason, clock)
                .TransitionTo(Failed),
            WaitAfterFault(When(RefreshFaulted, RetriesFault)),
            When(RefreshFaulted, context => !RetriesFault(context))
                .Fail(Steps.Transforming, FaultReason, clock)
                .TransitionTo(Failed));

        // At-least-once delivery: each answer with the steps that expect it; a later step drops it as late. A request is
        // heard again; a command answered twice, or an earlier attempt's answers (a fetch is tried again from requested)
        // arrive late; a run that ended hears the last of its messages.
        IgnoreLateAnswers(
            order: [Requested, Fetching, Archiving, Upserting, Transforming],
            loop: [Requested, Fetching, Archiving],
            ended: [Completed, Partial, Failed],
            requests: [SyncRequested, ReplayRequested],
            (WaitElapsed, [Requested, Fetching, Archiving, Upserting, Transforming]),
            (FetchStarted, [Requested]), (ReportFetched, [Requested, Fetching]),
            (ReportArchived, [Requested, Fetching, Archiving]), (FetchDeferred, [Requested, Fetching, Archiving]),
            (FetchFailed, [Requested, Fetching, Archiving]), (FetchFaulted, [Requested, Fetching, Archiving]),
            (ReportUpserted, [Upserting]), (UpsertFaulted, [Upserting]), (TransformFailed, [Upserting, Transforming]),
            (MartsRefreshed, [Transforming]), (RefreshFaulted, [Transforming]));

        LogUnexpected(logger, "Marketing run");
    }
}
