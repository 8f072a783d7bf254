using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Transform.Marts;

/// <summary>How the marts count: each shop's reporting day, and the thresholds of stock status, velocity and segments.</summary>
public sealed class MartsOptions : IValidatableObject
{
    public const string Section = "Marts";

    /// <summary>
    /// Shop domain → IANA time zone its days are counted in, for the shops of the settings; a connected shop counts its
    /// own zone's days, any other UTC days.
    /// </summary>
    public Dictionary<string, string> ReportingTimeZones { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public InventoryThresholds Inventory { get; set; } = new();

    /// <summary>
    /// Days up to today whose daily sales every sync refreshes, whatever orders it loaded, so that subscribers keeping a
    /// copy (the KPI/Alert service's two trailing weeks) hold them whole, zeros included: a shop that stopped selling
    /// shows its drop.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 366)]
    public int RecentDays { get; set; } = 15;

    public SegmentThresholds Segments { get; set; } = new();

    /// <summary>The share of a marketing load's rows left out from which its source's data-quality check fails (0.5: most of them).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.01, 1)]
    public decimal MarketingRejectedShare { get; set; } = 0.5m;

    /// <summary>The known zone a connected shop's check found (<c>ShopConnections</c>), or null; it wins over <see cref="ReportingTimeZones"/>.</summary>
    public Func<string, string?> ConnectedTimeZoneOf { get; set; } = _ => null;

    /// <summary>The shop's reporting time zone: its connection's own, else the settings', else UTC.</summary>
    public string TimeZoneOf(string shop) => ConnectedTimeZoneOf(shop) ?? (ReportingTimeZones.TryGetValue(shop, out var zone) ? zone : "UTC");

    /// <summary>
    /// The reporting days that may hold the moments of the UTC dates [from, to]: a day either side outside UTC, but never
    /// a day after the shop's today (a day not begun has nothing to report).
    /// </summary>
    public (DateOnly From, DateOnly To) ReportingRange(string shop, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        if (TimeZoneOf(shop) == "UTC") return (from, to);
        var (first, last) = (from.AddDays(-1), to.AddDays(1));
        var today = Today(shop, now);
        // A range wholly ahead of the shop's today is left as it was asked for.
        if (last > today) last = today >= first ? today : to;
        return (first, last);
    }

    /// <summary>Today in the shop's reporting time zone.</summary>
    public DateOnly Today(string shop, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneOf(shop))).DateTime);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (shop, zone) in ReportingTimeZones)
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                yield return new ValidationResult($"Marts:ReportingTimeZones:{shop} '{zone}' is not a known IANA time zone.");
        if (Inventory.LowStockDaysOfCover >= Inventory.OverstockDaysOfCover)
            yield return new ValidationResult("Marts:Inventory:LowStockDaysOfCover must be below OverstockDaysOfCover.");
        if (Inventory.MediumUnitsPerDay >= Inventory.FastUnitsPerDay)
            yield return new ValidationResult("Marts:Inventory:MediumUnitsPerDay must be below FastUnitsPerDay.");
    }
}
