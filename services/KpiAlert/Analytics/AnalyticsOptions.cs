using System.ComponentModel.DataAnnotations;

namespace GrowthOs.KpiAlert.Analytics;

public sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>Days the pipelines view and the rate-limit windows look back over.</summary>
    [Range(1, 90, ErrorMessage = "Analytics:WindowDays must be between 1 and 90.")]
    public int WindowDays { get; set; } = 7;

    /// <summary>An hour whose answers reported this share of the rate-limit budget used (or more) is one to avoid.</summary>
    [Range(1, 100, ErrorMessage = "Analytics:AvoidAtUsagePercent must be between 1 and 100.")]
    public decimal AvoidAtUsagePercent { get; set; } = 80;

    /// <summary>Products the overview lists by default.</summary>
    [Range(1, 100, ErrorMessage = "Analytics:TopProducts must be between 1 and 100.")]
    public int TopProducts { get; set; } = 10;
}
