namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A campaign's spend and the value its platform reports for it over a period, in minor units.</summary>
public sealed record CampaignFigures(string Source, string CampaignId, string Name, long SpendMinor, long ValueMinor);
