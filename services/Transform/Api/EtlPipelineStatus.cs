using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>
/// A pipeline's last execution and last success, the hours since that success, and its cost per row (milliseconds) over
/// the last 7 days against the 7 before: a rising cost means the pipeline is slowing down.
/// </summary>
public sealed record EtlPipelineStatus(
    string Pipeline,
    string? LastStatus,
    DateTimeOffset? LastFinishedAt,
    string? LastError,
    DateTimeOffset? LastSuccessAt,
    decimal? HoursSinceSuccess,
    [property: JsonPropertyName("ms_per_row_7d")] decimal? MsPerRow7d,
    [property: JsonPropertyName("ms_per_row_prior_7d")] decimal? MsPerRowPrior7d);
