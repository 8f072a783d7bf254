using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>
/// <c>ReportingTimeZones:{shop}</c>: the IANA time zone of each shop named in settings, one section read by every service
/// that counts a shop's days (a connected shop's own zone wins). Checked at start: an unknown zone, or a zone still
/// given where a service once read it (<c>Marts:ReportingTimeZones</c>, <c>Kpi:ReportingTimeZones</c>), stops the host
/// with a message naming the setting.
/// </summary>
public sealed class ReportingTimeZoneSettings : IValidatableObject
{
    public const string Section = "ReportingTimeZones";

    /// <summary>The sections that held the zones before this one, each read by one service only.</summary>
    public static readonly IReadOnlyList<string> FormerSections = ["Marts:ReportingTimeZones", "Kpi:ReportingTimeZones"];

    public Dictionary<string, string> Shops { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The former sections the configuration still gives.</summary>
    public List<string> FormerSectionsGiven { get; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (shop, zone) in Shops)
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
                yield return new ValidationResult($"{Section}:{shop} '{zone}' is not a known IANA time zone.");
        foreach (var former in FormerSectionsGiven)
            yield return new ValidationResult($"{former} is no longer read: give each shop's zone as {Section}:{{shop}}, which every service reads.");
    }
}
