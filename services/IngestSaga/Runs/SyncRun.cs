using GrowthOs.IngestSaga.BulkSync;
using MassTransit;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// What every run of the Ingest-Saga has, whichever machine drives it (a Shopify sync, a marketing sync): its steps
/// with their times, its durable wait, and where and why it failed. The behaviours that take a step, wait or fail
/// (<see cref="RunBehaviors"/>) work on it.
/// </summary>
public interface ISyncRun : SagaStateMachineInstance
{
    string ShopDomain { get; }
    string JobType { get; }
    string? FailedStep { get; set; }
    string? Error { get; set; }

    /// <summary>When the run's current durable wait ends (null: not waiting). See <c>DueWaitDispatcher</c>.</summary>
    DateTimeOffset? ResumeAt { get; set; }

    /// <summary>Identifies the current wait, so a late or repeated wake-up of an earlier wait is ignored.</summary>
    int WaitToken { get; set; }

    List<StepTiming> Steps { get; }

    void EnterStep(string step, DateTimeOffset at);

    /// <summary>The run's counts so far, as its view and its step telemetry name them.</summary>
    Dictionary<string, long> Counts();
}
