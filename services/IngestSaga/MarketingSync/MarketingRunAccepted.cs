namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>One run a marketing sync requested: its source, and where to follow it.</summary>
public sealed record MarketingRunAccepted(Guid RunId, string Source, string StatusUrl);
