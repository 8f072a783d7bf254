namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// Shopify cannot serve the request now (another bulk query runs, the limit of concurrent queries is reached,
/// throttled, HTTP 429 or 5xx, network): the run should try again after a backoff. <paramref name="Entity"/> and, for
/// a poll or a download, <paramref name="BulkOperationId"/> say which step to retry, so a late answer about another is
/// ignored. <paramref name="RetryAfterSeconds"/>: how long Shopify asked to be left alone (<c>Retry-After</c>), when it
/// said; the run waits at least that long.
/// </summary>
public record BulkExtractionDeferred(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ErrorCode,
    string Reason,
    string? BulkOperationId = null,
    double? RetryAfterSeconds = null);
