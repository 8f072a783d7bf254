namespace GrowthOs.Transform.Marketing;

/// <summary>One GA4 channel group's traffic on one day, purchase revenue in minor units of the property's currency.</summary>
public sealed record TrafficChannelDay(string PropertyId, DateOnly Day, string ChannelGroup, string CurrencyCode, long Sessions, long Users, decimal KeyEvents,
    long RevenueMinor);
