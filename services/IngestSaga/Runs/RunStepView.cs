using GrowthOs.IngestSaga.SyncRuns;

namespace GrowthOs.IngestSaga.Runs;

public sealed record RunStepView(string Step, string? Entity, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long? DurationMs)
{
    public static RunStepView From(StepTiming step) =>
        new(step.Step, step.Entity, step.StartedAt, step.EndedAt, step.EndedAt is { } end ? (long)(end - step.StartedAt).TotalMilliseconds : null);
}
