namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// Download the finished operation's JSONL (its <c>url</c>, or its <c>partialDataUrl</c> when it FAILED) and archive it,
/// untouched but for personal data, in the object store. The Connector reads the URL from Shopify itself and downloads only
/// from the storage hosts it allows.
/// </summary>
public record ArchiveBulkOperationResult(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string BulkOperationId);
