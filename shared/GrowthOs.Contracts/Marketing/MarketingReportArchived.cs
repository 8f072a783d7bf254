namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// The fetch's pages are archived and named by the manifest <paramref name="ManifestKey"/>. <paramref name="Partial"/>:
/// the source refused part of the range for good (<paramref name="PartialReason"/>); what it did answer is archived.
/// </summary>
public record MarketingReportArchived(
    Guid RunId,
    string ShopDomain,
    string Source,
    int Attempt,
    string ManifestKey,
    int Pages,
    long Rows,
    long Bytes,
    DateOnly Since,
    DateOnly Until,
    bool Partial = false,
    string? PartialReason = null);
