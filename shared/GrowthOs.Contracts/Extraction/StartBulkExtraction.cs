namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// Start a Shopify bulk query for one entity: records updated at or after <paramref name="UpdatedSince"/> (a daily
/// sync), and/or created in [<paramref name="CreatedFrom"/>, <paramref name="CreatedBefore"/>) (a backfill).
/// </summary>
public record StartBulkExtraction(
    Guid RunId,
    string ShopDomain,
    string Entity,
    DateTimeOffset? UpdatedSince,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedBefore = null);
