using System.Globalization;
using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Marketing;

/// <summary>One GA4 channel group's traffic on one day, purchase revenue in minor units of the property's currency.</summary>
public sealed record TrafficChannelDay(string PropertyId, DateOnly Day, string ChannelGroup, string CurrencyCode, long Sessions, long Users, decimal KeyEvents,
    long RevenueMinor);
