using System.Linq.Expressions;
using GrowthOs.IngestSaga.DurableWaits;
using MassTransit;

namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>
/// What every kind of run's machine shares, written once: a run's messages correlated by its run id, its durable waits
/// and their wake-ups, the backoff with jitter and the retry budget of a source that asks to wait or of the
/// infrastructure away for a while (a consumer's transient fault), and which late answers each state drops, declared
/// as data (<see cref="IgnoreLateAnswers"/>). A machine extends it with its own settings, states and events, and reads
/// top-down as the map of its run.
/// </summary>
public abstract class RunStateMachine<TRun> : MassTransitStateMachine<TRun> where TRun : SyncRunState
{
    private readonly IRetrySettings _retries;

    protected RunStateMachine(IRetrySettings retries, TimeProvider clock, Jitter jitter)
    {
        (_retries, Clock, Jitter) = (retries, clock, jitter);
        InstanceState(x => x.CurrentState);
        OfRun(() => WaitElapsed, m => m.RunId);
    }

    protected TimeProvider Clock { get; }

    /// <summary>The random share of each retry's backoff.</summary>
    protected Jitter Jitter { get; }

    /// <summary>The wake-up of a run's durable wait (see <c>DueWaitDispatcher</c>).</summary>
    public Event<SyncWaitElapsed> WaitElapsed { get; protected set; } = null!;

    /// <summary>The wake-up of the run's current wait, for a command that had no answer: it is sent again.</summary>
    protected EventActivityBinder<TRun, SyncWaitElapsed> TimeToSendAgain => When(WaitElapsed, IsDue);

    /// <summary>An event of a run that is not its request: correlated by the run id, dropped when the run does not exist.</summary>
    protected void OfRun<T>(Expression<Func<Event<T>>> @event, Func<T, Guid> runId) where T : class =>
        Event(@event, e =>
        {
            e.CorrelateById(context => runId(context.Message));
            e.OnMissingInstance(m => m.Discard());
        });

    /// <summary>The wake-up of the run's current wait; a late or repeated one of an earlier wait is not.</summary>
    protected static bool IsDue(BehaviorContext<TRun, SyncWaitElapsed> context) =>
        context.Saga.ResumeAt != null && context.Message.WaitToken == context.Saga.WaitToken;

    /// <summary>When the run's retry budget started: its request, or the last time it made progress.</summary>
    protected abstract DateTimeOffset RetryBudgetStart(TRun run);

    /// <summary>The backoff before the next try (<see cref="Backoff"/>), never shorter than the wait the source asked for.</summary>
    protected TimeSpan RetryDelay(TRun run, string errorCode, double? retryAfterSeconds, double jitter, bool backfill = false)
    {
        var backoff = Backoff.Delay(errorCode, run.RetryAttempts, _retries, jitter, backfill);
        var asked = TimeSpan.FromSeconds(retryAfterSeconds ?? 0);
        return asked > backoff ? asked : backoff;
    }

    /// <summary>Whether a wait of <paramref name="delay"/> from now still ends within the run's retry budget.</summary>
    protected bool WithinRetryBudget(TRun run, TimeSpan delay) => Clock.GetUtcNow() + delay <= RetryBudgetStart(run) + _retries.RetryBudget;

    /// <summary>Why the run stops retrying: its budget spent, and the last error.</summary>
    protected string BudgetSpent(TRun run, string lastError) =>
        $"Retry budget of {_retries.RetryBudgetHours} h exhausted after {run.RetryAttempts} retries; last error {lastError}";

    /// <summary>The backoff after an infrastructure fault: base × 2^attempt, capped, with jitter.</summary>
    protected TimeSpan FaultDelay(TRun run, double jitter) => Backoff.Delay(TransientFaults.Code, run.RetryAttempts, _retries, jitter);

    /// <summary>Whether a fault is the infrastructure's, and its backoff still ends within the run's retry budget.</summary>
    protected bool RetriesFault<T>(BehaviorContext<TRun, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message) && WithinRetryBudget(context.Saga, FaultDelay(context.Saga, 1));

    /// <summary>Why a consumer faulted, for the run's record: the budget spent, or the error itself.</summary>
    protected string FaultReason<T>(BehaviorContext<TRun, Fault<T>> context) where T : class =>
        TransientFaults.IsTransient(context.Message) ? BudgetSpent(context.Saga, RunBehaviors.FaultReason(context)) : RunBehaviors.FaultReason(context);

    /// <summary>Waits (durably) for the fault's backoff; the step's wake-up then sends its command again.</summary>
    protected EventActivityBinder<TRun, Fault<T>> WaitAfterFault<T>(EventActivityBinder<TRun, Fault<T>> binder) where T : class =>
        binder
            .WaitFor(context => FaultDelay(context.Saga, Jitter.Next()), Clock)
            .Then(context =>
            {
                context.Saga.RetryAttempts++;
                context.Saga.LastRetryReason = $"{TransientFaults.Code}: {RunBehaviors.FaultReason(context)}";
            });

    /// <summary>
    /// At-least-once delivery, declared once: each event with the states that expect it. A state after them drops the
    /// event as a late answer (a command answered twice, the answer of an earlier step or, in <paramref name="loop"/>,
    /// of the entity or attempt before); a state before them is not expecting it and logs it as unexpected. The states
    /// of <paramref name="loop"/> repeat (once per entity, once per attempt), so each of them comes after every other.
    /// The requests are heard again in any state; a run that ended hears the last of everything.
    /// </summary>
    protected void IgnoreLateAnswers(State[] order, State[] loop, State[] ended, Event[] requests, params (Event Event, State[] ExpectedIn)[] answers)
    {
        DuringAny(requests.Select(request => Ignore(request)).ToArray());
        foreach (var state in order)
        {
            var late = answers.Where(answer => !answer.ExpectedIn.Contains(state) && answer.ExpectedIn.Any(expected => IsAfter(state, expected, order, loop)))
                .Select(answer => Ignore(answer.Event)).ToArray();
            if (late.Length > 0) During(state, late);
        }
        During(ended, answers.Select(answer => Ignore(answer.Event)).ToArray());
    }

    /// <summary>Anything else is not expected: it is logged, with the state the run reached, and dropped rather than failing the run.</summary>
    protected void LogUnexpected(ILogger logger, string run) =>
        OnUnhandledEvent(context =>
        {
            logger.LogWarning("{Run} {RunId} in {State} did not expect {Event}; it is ignored", run, context.Saga.CorrelationId, context.Saga.CurrentState,
                context.Event.Name);
            return context.Ignore();
        });

    /// <summary>Whether <paramref name="state"/> can come after <paramref name="expected"/> in a run.</summary>
    private static bool IsAfter(State state, State expected, State[] order, State[] loop) =>
        Array.IndexOf(order, state) > Array.IndexOf(order, expected) || (loop.Contains(state) && loop.Contains(expected));
}
