namespace GrowthOs.Transform.Api;

/// <summary>
/// One pipeline's execution in a run, as it is logged. <see cref="Rows"/> is null for a pipeline of every shop
/// (<c>rolling_30d</c>, shop <c>*</c>) read by a caller who named a shop.
/// </summary>
public sealed record PipelineExecution(
    string Pipeline,
    string Shop,
    DateOnly From,
    DateOnly To,
    string Status,
    long? Rows,
    long Milliseconds,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt);
