namespace GrowthOs.Connector.Ga4;

/// <summary>What the Admin API says of a property: its display name, currency, IANA time zone, and when it was put in the trash (if it was).</summary>
public sealed record Ga4PropertyInfo(string? Name, string? Currency, string? TimeZone, string? DeleteTime);
