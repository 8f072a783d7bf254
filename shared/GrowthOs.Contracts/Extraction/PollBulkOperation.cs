namespace GrowthOs.Contracts.Extraction;

/// <summary>Ask Shopify for the state of a running bulk operation, which extracts <paramref name="Entity"/>.</summary>
public record PollBulkOperation(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string BulkOperationId,
    int Attempt);
