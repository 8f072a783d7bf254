namespace GrowthOs.Contracts.Marketing;

public record MarketingCampaignDay(
    DateOnly Date,
    string Source,
    string CampaignId,
    string CampaignName,
    long SpendMinor,
    long Impressions,
    long Clicks,
    decimal Conversions,
    long ConversionValueMinor);
