namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// Shopify said (its <c>bulk_operations/finish</c> webhook) that the run's bulk operation finished with
/// <paramref name="Status"/>: the run polls it at once rather than at its next interval. The poll's answer, not this
/// notice, decides what the run does.
/// </summary>
public record BulkOperationFinishNotified(
    Guid RunId,
    string ShopDomain,
    string BulkOperationId,
    string Status,
    DateTimeOffset ReceivedAt);
