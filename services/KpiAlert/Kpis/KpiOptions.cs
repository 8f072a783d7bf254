using System.ComponentModel.DataAnnotations;

namespace GrowthOs.KpiAlert.Kpis;

public sealed class KpiOptions : IValidatableObject
{
    public const string Section = "Kpi";

    /// <summary>
    /// The reporting time zone of a shop of the settings (IANA), as the Transform's <c>Marts:ReportingTimeZones</c>:
    /// its days end at its midnight. A connected shop's is its own.
    /// </summary>
    public Dictionary<string, string> ReportingTimeZones { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Days of the default period: the last complete ones.</summary>
    [Range(1, 366)]
    public int DefaultDays { get; set; } = 7;

    /// <summary>The known zone a connected shop's check found (<c>ShopConnections</c>), or null; it wins over <see cref="ReportingTimeZones"/>.</summary>
    public Func<string, string?> ConnectedTimeZoneOf { get; set; } = _ => null;

    /// <summary>The shop's reporting time zone: its connection's own, else the settings', else UTC.</summary>
    public string TimeZoneOf(string shop) => ConnectedTimeZoneOf(shop) ?? (ReportingTimeZones.TryGetValue(shop, out var zone) ? zone : "UTC");

    /// <summary>The shop's reporting day at <paramref name="now"/>.</summary>
    public DateOnly Today(string shop, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneOf(shop))).DateTime);

    /// <summary>The default period: the <see cref="DefaultDays"/> complete reporting days up to yesterday.</summary>
    public (DateOnly From, DateOnly To) DefaultPeriod(string shop, DateTimeOffset now)
    {
        var to = Today(shop, now).AddDays(-1);
        return (to.AddDays(1 - DefaultDays), to);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (shop, zone) in ReportingTimeZones)
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                yield return new ValidationResult($"Kpi:ReportingTimeZones:{shop} '{zone}' is not a known IANA time zone.");
    }
}
