using System.ComponentModel.DataAnnotations;

namespace GrowthOs.IngestSaga.DurableWaits;

public sealed class DurableWaitOptions
{
    public const string Section = "DurableWaits";

    [Range(50, 60_000, ErrorMessage = "DurableWaits:ScanIntervalMilliseconds must be between 50 and 60000.")]
    public int ScanIntervalMilliseconds { get; set; } = 1_000;

    /// <summary>A claimed wake-up not acted on within this time (the process died after claiming it) is sent again.</summary>
    [Range(1, 3_600, ErrorMessage = "DurableWaits:ClaimSeconds must be between 1 and 3600.")]
    public int ClaimSeconds { get; set; } = 30;

    [Range(1, 10_000, ErrorMessage = "DurableWaits:BatchSize must be between 1 and 10000.")]
    public int BatchSize { get; set; } = 100;
}
