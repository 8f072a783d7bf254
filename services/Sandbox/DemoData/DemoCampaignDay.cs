namespace GrowthOs.Sandbox.DemoData;

/// <summary>One campaign's delivery on one day, in the ad account's currency.</summary>
public sealed record DemoCampaignDay(DemoCampaign Campaign, DateOnly Date, decimal Spend, long Impressions, long Clicks, long Purchases, decimal PurchaseValue);
