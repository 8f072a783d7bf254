namespace GrowthOs.Transform.Api;

/// <summary>
/// A campaign's figures over a period as its platform reports them: spend, delivery, conversions and their value, ROAS.
/// <see cref="Comparable"/> is false when some of its rows are in another currency than the shop's.
/// <see cref="EstimatedGrossProfitMinor"/> is an estimate: the platform's conversion value × the shop's gross margin of the
/// period (the platform's attribution, not the shop's orders), and <see cref="EstimatedPoas"/> it over the spend; null when
/// the margin is not known or the campaign is not comparable.
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
    decimal? Roas,
    long? EstimatedGrossProfitMinor = null,
    decimal? EstimatedPoas = null);
