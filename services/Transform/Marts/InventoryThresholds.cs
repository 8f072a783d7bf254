using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Transform.Marts;

public sealed class InventoryThresholds
{
    /// <summary>Days of sales the velocity is measured over.</summary>
    [Range(1, 365)] public int VelocityDays { get; set; } = 30;

    /// <summary>Stock lasting fewer days than this is low.</summary>
    [Range(0, 3650)] public decimal LowStockDaysOfCover { get; set; } = 14;

    /// <summary>Stock lasting more days than this, or not selling at all, is overstock.</summary>
    [Range(1, 3650)] public decimal OverstockDaysOfCover { get; set; } = 120;

    /// <summary>Units a day from which a variant sells fast; from <see cref="MediumUnitsPerDay"/> it sells at medium pace, above zero slowly.</summary>
    [Range(0.0001, 1_000_000)] public decimal FastUnitsPerDay { get; set; } = 1;

    [Range(0.0001, 1_000_000)] public decimal MediumUnitsPerDay { get; set; } = 0.25m;

    /// <summary>An order not fulfilled (its first fulfillment) within this many hours of being placed is late.</summary>
    [Range(1, 24 * 60)] public int LateFulfillmentHours { get; set; } = 48;

    /// <summary>The orders waiting for a variant in alert are those placed in this many days up to now and not yet fulfilled.</summary>
    [Range(1, 365)] public int WaitingDays { get; set; } = 30;
}
