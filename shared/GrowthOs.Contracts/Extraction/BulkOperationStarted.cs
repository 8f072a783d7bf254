namespace GrowthOs.Contracts.Extraction;

public record BulkOperationStarted(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string BulkOperationId,
    DateTimeOffset StartedAt);
