namespace GrowthOs.Transform.Marts;

/// <summary>One pipeline's execution: what it wrote and how long it took.</summary>
public sealed record PipelineResult(string Pipeline, long Rows, long Milliseconds);
