namespace GrowthOs.Transform.Api;

/// <summary>An execution of the last 7 days that took longer than the report's <c>slow_after_ms</c>.</summary>
public sealed record EtlSlowExecution(string Shop, string Pipeline, Guid? RunId, string Status, long Rows, long Milliseconds, DateTimeOffset FinishedAt);
