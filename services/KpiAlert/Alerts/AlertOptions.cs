using System.ComponentModel.DataAnnotations;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>The thresholds of the alert rules, as decimals (0.30 is 30 %); a rule is raised beyond its threshold, never at it.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    [Range(0.01, 1)] public decimal RevenueDrop { get; set; } = 0.30m;
    [Range(0.01, 100)] public decimal RoasFloor { get; set; } = 1.0m;
    [Range(0.01, 10)] public decimal CacIncrease { get; set; } = 0.25m;
    [Range(0.01, 1)] public decimal CtrDrop { get; set; } = 0.20m;
    [Range(0.01, 1)] public decimal ConversionRateDrop { get; set; } = 0.20m;

    /// <summary>The gross margin's fall, in points of margin (0.05 is 5 points: 40 % to 35 %), beyond which it is a drop.</summary>
    [Range(0.001, 1)] public decimal GrossMarginDropPoints { get; set; } = 0.05m;

    /// <summary>A campaign's ROAS is judged only from this much spend in the period (minor units), so a few cents of delivery never raise it.</summary>
    [Range(0, long.MaxValue)] public long MinimumCampaignSpendMinor { get; set; } = 1_000;

    /// <summary>A daily job without a whole success for longer than this is missing: a day, and the slack of its schedule.</summary>
    [Range(1, 24 * 14)] public int PipelineMaxAgeHours { get; set; } = 26;

    /// <summary>How often every shop's rules are evaluated besides after each KPI refresh.</summary>
    [Range(1, 1_440)] public int EvaluateEveryMinutes { get; set; } = 60;
}
