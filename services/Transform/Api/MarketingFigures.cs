using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The marketing figures of a day or a period: spend per source and in all, the platforms' delivery and conversions, GA4's
/// sessions (in all and per channel group), and the shop's own orders and revenue beside them. Money in minor units;
/// rates as decimals (0.015 is 1.5 %), null when their denominator is zero.
/// </summary>
public sealed record MarketingFigures(
    long SpendMinor,
    IReadOnlyDictionary<string, long> SpendBySource,
    long Impressions,
    long Clicks,
    decimal? Ctr,
    long? CpcMinor,
    decimal PlatformConversions,
    long PlatformConversionValueMinor,
    long Sessions,
    long Users,
    decimal KeyEvents,
    [property: JsonPropertyName("ga4_revenue_minor")] long Ga4RevenueMinor,
    IReadOnlyDictionary<string, long> SessionsByChannelGroup,
    long Orders,
    long RevenueMinor,
    decimal? BlendedRoas,
    int NotComparableRows);
