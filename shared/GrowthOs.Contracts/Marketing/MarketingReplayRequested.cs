namespace GrowthOs.Contracts.Marketing;

/// <summary>Re-ingest the archived pages a manifest names through the upsert and transform steps, without calling the source.</summary>
public record MarketingReplayRequested(
    Guid RunId,
    string ShopDomain,
    string Source,
    string ManifestKey,
    DateTimeOffset RequestedAt);
