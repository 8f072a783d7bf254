namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>A step of a run: when it started and ended, and for a step taken once per entity, its entity.</summary>
public sealed record StepTiming(string Step, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Entity = null);
