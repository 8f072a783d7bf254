using System.ComponentModel.DataAnnotations;
using GrowthOs.ServiceDefaults.Connections;

namespace GrowthOs.Transform.Marts;

/// <summary>How the marts count: each shop's reporting day, and the thresholds of stock status, velocity and segments.</summary>
public sealed class MartsOptions : IValidatableObject
{
    public const string Section = "Marts";

    public InventoryThresholds Inventory { get; set; } = new();

    /// <summary>
    /// Days up to today whose daily sales every sync refreshes, whatever orders it loaded, so that subscribers keeping a
    /// copy (the KPI/Alert service's two trailing weeks) hold them whole, zeros included: a shop that stopped selling
    /// shows its drop.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 366)]
    public int RecentDays { get; set; } = 15;

    public SegmentThresholds Segments { get; set; } = new();

    /// <summary>An execution of a pipeline slower than this is listed among the slow ones of <c>GET /api/etl/status</c> (10 s).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, long.MaxValue)]
    public long SlowExecutionMilliseconds { get; set; } = 10_000;

    /// <summary>Connections the data-quality checks of a run share, each running one check at a time (the machine's cores, at most 4).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 16)]
    public int CheckConnections { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// The memory each sort or hash of a daily-sales refresh may take before it spills to disk (PostgreSQL's
    /// <c>work_mem</c> for that transaction, 64 MB): a large shop's customers' days group hundreds of thousands of rows.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 2048)]
    public int RefreshWorkMemMegabytes { get; set; } = 64;

    /// <summary>
    /// Below this share of the refreshed days' counted orders, a sync's star schema refresh writes the facts of the orders
    /// it changed and the daily facts of their days only; at or above it (a first sync, a backfill), the days whole, which
    /// is then cheaper (0.25). 0 refreshes the days whole after every sync.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1)]
    public double StarChangedShare { get; set; } = 0.25;

    /// <summary>The share of a marketing load's rows left out from which its source's data-quality check fails (0.5: most of them).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.01, 1)]
    public decimal MarketingRejectedShare { get; set; } = 0.5m;

    /// <summary>
    /// The zone each shop's days are counted in, the same in every service (<see cref="ReportingTimeZones"/>: a connected
    /// shop's own, else the settings' <c>ReportingTimeZones:{shop}</c>, else UTC); given at start.
    /// </summary>
    public ReportingTimeZones TimeZones { get; set; } = ReportingTimeZones.None;

    /// <summary>The shop's reporting time zone.</summary>
    public string TimeZoneOf(string shop) => TimeZones.ZoneOf(shop);

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
    public DateOnly Today(string shop, DateTimeOffset now) => TimeZones.Today(shop, now);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Inventory.LowStockDaysOfCover >= Inventory.OverstockDaysOfCover)
            yield return new ValidationResult("Marts:Inventory:LowStockDaysOfCover must be below OverstockDaysOfCover.");
        if (Inventory.MediumUnitsPerDay >= Inventory.FastUnitsPerDay)
            yield return new ValidationResult("Marts:Inventory:MediumUnitsPerDay must be below FastUnitsPerDay.");
    }
}
