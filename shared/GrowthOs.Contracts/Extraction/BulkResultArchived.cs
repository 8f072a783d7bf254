namespace GrowthOs.Contracts.Extraction;

/// <summary>The operation's JSONL of <paramref name="Entity"/> is archived, untouched, at <paramref name="ArchiveKey"/>.</summary>
public record BulkResultArchived(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    long Bytes,
    long Lines);
