using System.Diagnostics;
using MassTransit;

namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>
/// What every run of the Ingest-Saga has, whichever machine drives it (a Shopify sync, a marketing sync): who asked and
/// when, its steps with their times, its durable wait, its retries, where and why it failed, and the trace it belongs
/// to. The behaviours that take a step, wait or fail (<see cref="RunBehaviors"/>) work on it. Each machine's runs are
/// a table of their own; these columns are in both.
/// </summary>
public abstract class SyncRunState : SagaStateMachineInstance
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "";

    public string ShopDomain { get; set; } = "";
    public string JobType { get; set; } = "";
    public string Initiator { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>Retries since the run last made progress; drives the backoff.</summary>
    public int RetryAttempts { get; set; }
    public string? LastRetryReason { get; set; }

    public string? FailedStep { get; set; }
    public string? Error { get; set; }

    /// <summary>When the run's current durable wait ends (null: not waiting). See <c>DueWaitDispatcher</c>.</summary>
    public DateTimeOffset? ResumeAt { get; set; }

    /// <summary>Identifies the current wait, so a late or repeated wake-up of an earlier wait is ignored.</summary>
    public int WaitToken { get; set; }

    public List<StepTiming> Steps { get; set; } = [];

    /// <summary>
    /// The W3C trace context of the request that started the run: work done later on its behalf (a durable wait's
    /// wake-up) continues this trace, so one run is one trace.
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>The trace id of <see cref="TraceParent"/>.</summary>
    public string? TraceId => ActivityContext.TryParse(TraceParent, null, out var context) ? context.TraceId.ToString() : null;

    /// <summary>PostgreSQL's xmin: optimistic concurrency between replicas and redeliveries.</summary>
    public uint Version { get; set; }

    /// <summary>Who asked for the run, and when; the trace of the request that started it is the run's.</summary>
    protected void BeginRun(string jobType, string shop, string initiator, DateTimeOffset requestedAt)
    {
        (JobType, ShopDomain, Initiator, RequestedAt) = (jobType, shop, initiator, requestedAt.ToUniversalTime());
        TraceParent = Activity.Current?.Id;
    }

    public abstract void EnterStep(string step, DateTimeOffset at);

    /// <summary>The run's counts so far, as its view and its step telemetry name them.</summary>
    public abstract Dictionary<string, long> Counts();
}
