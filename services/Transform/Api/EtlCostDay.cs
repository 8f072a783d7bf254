using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>A pipeline's successful executions of one UTC day: how many, their rows and milliseconds, and the milliseconds per row.</summary>
public sealed record EtlCostDay(string Shop, string Pipeline, DateOnly Day, long Executions, long Rows, long Milliseconds,
    [property: JsonPropertyName("ms_per_row")] decimal? MsPerRow);
