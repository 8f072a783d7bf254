using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Transform.Marts;

/// <summary>Segments and lifecycle stages; amounts are in major units of the shop currency (500 = $500.00 for a USD shop).</summary>
public sealed class SegmentThresholds
{
    [Range(1, 10_000)] public int ProfessionalOrders { get; set; } = 5;
    [Range(0, 1_000_000_000)] public decimal ProfessionalAov { get; set; } = 500;
    [Range(1, 10_000)] public int EnthusiastOrders { get; set; } = 3;
    [Range(0, 1_000_000_000)] public decimal EnthusiastAov { get; set; } = 200;
    [Range(1, 10_000)] public int DiyOrders { get; set; } = 2;

    /// <summary>Last purchase fewer days ago than this: active; up to <see cref="ChurnedAfterDays"/>: at risk; beyond: churned.</summary>
    [Range(1, 3650)] public int ActiveDays { get; set; } = 30;
    [Range(1, 3650)] public int ChurnedAfterDays { get; set; } = 90;
}
