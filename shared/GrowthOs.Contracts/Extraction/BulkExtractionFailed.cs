namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// Extraction of <paramref name="Entity"/> cannot go on. <paramref name="ErrorCode"/> is Shopify's code, or the
/// Connector's own when the failure is local. ACCESS_DENIED (a missing scope) skips that entity only. A poll's or a
/// download's failure names its <paramref name="BulkOperationId"/>, a start's does not, so a late answer about an
/// earlier step is told apart.
/// </summary>
public record BulkExtractionFailed(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ErrorCode,
    string Reason,
    string? BulkOperationId = null);
