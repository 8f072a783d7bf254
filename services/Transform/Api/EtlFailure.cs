namespace GrowthOs.Transform.Api;

/// <summary>An execution that failed in the last 24 hours: the shop, the pipeline, its run, the days it covered and the error.</summary>
public sealed record EtlFailure(string Shop, string Pipeline, Guid? RunId, DateOnly DateFrom, DateOnly DateTo, long Milliseconds, string? Error,
    DateTimeOffset FinishedAt);
