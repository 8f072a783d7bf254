namespace GrowthOs.Transform.Api;

/// <summary>
/// A campaign's figures over a period as its platform reports them: spend, delivery, conversions and their value, ROAS.
/// <see cref="Comparable"/> is false when some of its rows are in another currency than the shop's.
/// </summary>
public sealed record CampaignPerformance(
    string Source,
    string CampaignId,
    string Name,
    string Channel,
    string CurrencyCode,
    bool Comparable,
    long SpendMinor,
    long Impressions,
    long Clicks,
    decimal? Ctr,
    long? CpcMinor,
    decimal Conversions,
    long ConversionValueMinor,
    decimal? Roas);
