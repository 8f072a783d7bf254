namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// The operation finished with a result to download. When <paramref name="Partial"/>, it FAILED
/// (<paramref name="ErrorCode"/>) and only Shopify's <c>partialDataUrl</c> holds data: incomplete, it must not advance a
/// watermark. No message carries the signed download URL (a bearer credential to the shop's data): the Connector asks
/// Shopify for it when it downloads.
/// </summary>
public record BulkOperationCompleted(
    Guid RunId,
    string BulkOperationId,
    long ObjectCount,
    long RootObjectCount,
    long FileSize,
    bool Partial = false,
    string? ErrorCode = null);
