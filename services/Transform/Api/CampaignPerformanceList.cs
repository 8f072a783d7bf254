namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/marketing/campaigns</c>: the shop's campaigns of the period, the largest spend first.</summary>
public sealed record CampaignPerformanceList(string Shop, DateOnly From, DateOnly To, IReadOnlyList<CampaignPerformance> Campaigns);
