namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>The answer of <c>POST /api/marketing/sync</c>: the shop, and the run requested for each source.</summary>
public sealed record MarketingSyncAccepted(string Shop, IReadOnlyList<MarketingRunAccepted> Runs);
