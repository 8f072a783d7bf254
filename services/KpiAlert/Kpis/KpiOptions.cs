using System.ComponentModel.DataAnnotations;
using GrowthOs.ServiceDefaults.Connections;

namespace GrowthOs.KpiAlert.Kpis;

public sealed class KpiOptions
{
    public const string Section = "Kpi";

    /// <summary>Days of the default period: the last complete ones.</summary>
    [Range(1, 366)]
    public int DefaultDays { get; set; } = 7;

    /// <summary>
    /// The zone each shop's days end in, the same as the Transform's (<see cref="ReportingTimeZones"/>: a connected shop's
    /// own, else the settings' <c>ReportingTimeZones:{shop}</c>, else UTC); given at start.
    /// </summary>
    public ReportingTimeZones TimeZones { get; set; } = ReportingTimeZones.None;

    /// <summary>The shop's reporting time zone.</summary>
    public string TimeZoneOf(string shop) => TimeZones.ZoneOf(shop);

    /// <summary>The shop's reporting day at <paramref name="now"/>.</summary>
    public DateOnly Today(string shop, DateTimeOffset now) => TimeZones.Today(shop, now);

    /// <summary>The default period: the <see cref="DefaultDays"/> complete reporting days up to yesterday.</summary>
    public (DateOnly From, DateOnly To) DefaultPeriod(string shop, DateTimeOffset now)
    {
        var to = Today(shop, now).AddDays(-1);
        return (to.AddDays(1 - DefaultDays), to);
    }
}
