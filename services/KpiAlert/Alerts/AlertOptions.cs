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

    /// <summary>
    /// The e-mail rates past which a warning is raised and, at the second, a critical alert; Klaviyo's own targets for a
    /// send (its deliverability tab): bounces / recipients under 1 % healthy, over 2 % needing attention; unsubscribes /
    /// delivered under 0.3 % healthy, over 1 % needing attention.
    /// </summary>
    [Range(0.0001, 1)] public decimal EmailBounceRate { get; set; } = 0.01m;

    [Range(0.0001, 1)] public decimal EmailBounceRateCritical { get; set; } = 0.02m;
    [Range(0.0001, 1)] public decimal EmailUnsubscribeRate { get; set; } = 0.003m;
    [Range(0.0001, 1)] public decimal EmailUnsubscribeRateCritical { get; set; } = 0.01m;

    /// <summary>The e-mail rates are judged only from this many recipients in the period (Klaviyo scores an account from 1,000 e-mails).</summary>
    [Range(1, long.MaxValue)] public long EmailMinimumRecipients { get; set; } = 1_000;

    /// <summary>A flow is steady when it sent on each of this many days in a row; then a day without a send is a stop.</summary>
    [Range(2, 60)] public int FlowSteadyDays { get; set; } = 7;

    /// <summary>A stopped flow is reported for this many days of silence; after them it is taken as turned off on purpose.</summary>
    [Range(1, 90)] public int FlowStoppedForDays { get; set; } = 14;

    /// <summary>How often every shop's rules are evaluated besides after each KPI refresh.</summary>
    [Range(1, 1_440)] public int EvaluateEveryMinutes { get; set; } = 60;
}
