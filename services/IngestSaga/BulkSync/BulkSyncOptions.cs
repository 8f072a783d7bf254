using System.ComponentModel.DataAnnotations;

namespace GrowthOs.IngestSaga.BulkSync;

public sealed class BulkSyncOptions
{
    public const string Section = "BulkSync";

    /// <summary>Wait between two polls of a running bulk operation.</summary>
    [Range(1, 3600, ErrorMessage = "BulkSync:PollIntervalSeconds must be between 1 and 3600.")]
    public int PollIntervalSeconds { get; set; } = 16;

    /// <summary>Polls of one operation before the run fails as timed out.</summary>
    [Range(1, 100_000, ErrorMessage = "BulkSync:MaxPollAttempts must be between 1 and 100000.")]
    public int MaxPollAttempts { get; set; } = 128;

    /// <summary>A sync never reads further back than this; a missing or older watermark resets to now minus the floor.</summary>
    [Range(1, 3650, ErrorMessage = "BulkSync:WatermarkFloorDays must be between 1 and 3650.")]
    public int WatermarkFloorDays { get; set; } = 128;

    /// <summary>Window re-read before the watermark to catch records updated late.</summary>
    [Range(0, 10_080, ErrorMessage = "BulkSync:LookbackMinutes must be between 0 and 10080.")]
    public int LookbackMinutes { get; set; } = 60;

    /// <summary>Shops this deployment syncs; the first is the default of a sync request that names none.</summary>
    [MinLength(1, ErrorMessage = "BulkSync:Shops must list at least one shop domain.")]
    public List<string> Shops { get; set; } = [];

    /// <summary>Entities a run extracts when the request names none.</summary>
    [MinLength(1, ErrorMessage = "BulkSync:DefaultEntities must list at least one entity.")]
    public List<string> DefaultEntities { get; set; } = ["orders"];

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);
}
