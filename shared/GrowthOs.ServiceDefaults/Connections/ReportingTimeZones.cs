namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>
/// The IANA time zone a shop's reporting days follow, the same in every service that counts days: the shop's own, as its
/// connection's check found it; else the settings' <c>ReportingTimeZones:{shop}</c> (the shops named in settings); else
/// UTC. A shop's day ends at its midnight.
/// </summary>
public sealed class ReportingTimeZones
{
    public const string Utc = "UTC";

    /// <summary>Every shop in UTC: no settings, no connections.</summary>
    public static readonly ReportingTimeZones None = new(new Dictionary<string, string>(), _ => null);

    private readonly Dictionary<string, string> _settings;
    private readonly Func<string, string?> _connected;

    /// <param name="settings">Shop domain → zone, for the shops named in settings.</param>
    /// <param name="connected">A connected shop's own zone (a zone this machine knows), else null.</param>
    public ReportingTimeZones(IReadOnlyDictionary<string, string> settings, Func<string, string?> connected)
    {
        _settings = new Dictionary<string, string>(settings, StringComparer.OrdinalIgnoreCase);
        _connected = connected;
    }

    /// <summary>The zones of settings alone, as a test or a tool gives them.</summary>
    public static ReportingTimeZones Of(IReadOnlyDictionary<string, string> settings) => new(settings, _ => null);

    /// <summary>The shop's reporting time zone: its connection's own, else the settings', else UTC.</summary>
    public string ZoneOf(string shop) => _connected(shop) ?? (_settings.TryGetValue(shop, out var zone) ? zone : Utc);

    /// <summary>The shop's reporting day at <paramref name="now"/>.</summary>
    public DateOnly Today(string shop, DateTimeOffset now) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(ZoneOf(shop))).DateTime);
}
