using System.ComponentModel.DataAnnotations;

namespace GrowthOs.IngestSaga.Outbox;

public sealed class SagaEventOptions
{
    public const string Section = "SagaEvents";

    /// <summary>
    /// Whether this replica takes its turns publishing the events every replica writes (one publishes at a time). With it
    /// off everywhere, events are kept and none leaves.
    /// </summary>
    public bool Publish { get; set; } = true;

    /// <summary>How often the table is scanned when no save of this process woke the publisher.</summary>
    [Range(50, 60_000, ErrorMessage = "SagaEvents:ScanIntervalMilliseconds must be between 50 and 60000.")]
    public int ScanIntervalMilliseconds { get; set; } = 1_000;

    [Range(1, 10_000, ErrorMessage = "SagaEvents:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 100;

    /// <summary>Published events are kept this long, then deleted.</summary>
    [Range(1, 365, ErrorMessage = "SagaEvents:RetentionDays must be between 1 and 365.")]
    public int RetentionDays { get; set; } = 7;
}
