namespace GrowthOs.Contracts.Ingest;

/// <summary>Re-ingest an archived bulk JSONL of <paramref name="Entity"/> through the upsert and transform steps, without calling Shopify.</summary>
public record ReplayRequested(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    DateTimeOffset RequestedAt);
