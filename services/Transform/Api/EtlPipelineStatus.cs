using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>
/// A pipeline of a shop: its last execution (the UTC day it finished, its status, rows and milliseconds, and its error
/// when it failed), its last success and the hours since, and its cost per row (milliseconds) over the last 7 days
/// against the 7 before: a rising cost means the pipeline is slowing down.
/// </summary>
public sealed record EtlPipelineStatus(
    string Shop,
    string Pipeline,
    DateOnly? LastExecutionDate,
    string? LastStatus,
    long? LastRows,
    long? LastMilliseconds,
    DateTimeOffset? LastFinishedAt,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    decimal? HoursSinceSuccess,
    [property: JsonPropertyName("ms_per_row_7d")] decimal? MsPerRow7d,
    [property: JsonPropertyName("ms_per_row_prior_7d")] decimal? MsPerRowPrior7d);
