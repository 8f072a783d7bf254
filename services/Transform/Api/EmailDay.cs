namespace GrowthOs.Transform.Api;

/// <summary>A day of e-mail: flows' and campaigns' recipients and revenue.</summary>
public sealed record EmailDay(DateOnly Date, long FlowRecipients, long CampaignRecipients, long FlowRevenueMinor, long CampaignRevenueMinor);
