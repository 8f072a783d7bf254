namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/marketing/campaigns</c>: the shop's campaigns of the period, the largest spend first, and the
/// shop's gross margin of the period their profit estimates use (null without net sales).
/// </summary>
public sealed record CampaignPerformanceList(string Shop, DateOnly From, DateOnly To, IReadOnlyList<CampaignPerformance> Campaigns,
    decimal? GrossMargin = null);
