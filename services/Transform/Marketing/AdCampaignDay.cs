namespace GrowthOs.Transform.Marketing;

/// <summary>One campaign's delivery on one day as an ad platform reported it, money in minor units of the account's currency.</summary>
public sealed record AdCampaignDay(string AccountId, string CampaignId, DateOnly Day, string CampaignName, string CurrencyCode, long SpendMinor,
    long Impressions, long Clicks, decimal Conversions, long ConversionValueMinor);
