using System.Diagnostics;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.ServiceDefaults.Observability;

namespace GrowthOs.IngestSaga.Telemetry;

/// <summary>A run's steps and outcome as metrics: the step that ended and its duration; the run's end by outcome.</summary>
public static class SyncMetrics
{
    public static void StepEntered(SyncRunState run, StepTiming? previous, string step, DateTimeOffset at)
    {
        if (previous is not null)
            GrowthOsMetrics.StepDuration.Record((at - previous.StartedAt).TotalSeconds, new TagList
            {
                { "step", previous.Step }, { "job_type", run.JobType }, { "entity", previous.Entity ?? "" },
            });
        if (step is Steps.Completed or Steps.Partial or Steps.Failed)
            GrowthOsMetrics.Runs.Add(1, new TagList { { "job_type", run.JobType }, { "outcome", step } });
    }
}
