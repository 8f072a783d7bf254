namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// What a sync can extract from Shopify, one bulk query each: orders (with line items, refunds, fulfillments),
/// products (with variants), inventory (items with their levels per location) and customers.
/// </summary>
public static class Entities
{
    public const string Orders = "orders";
    public const string Products = "products";
    public const string Inventory = "inventory";
    public const string Customers = "customers";

    /// <summary>Every entity, in the order a sync extracts them: orders first, so the marts see new sales soonest.</summary>
    public static IReadOnlyList<string> All { get; } = [Orders, Products, Inventory, Customers];
}

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

public record BulkOperationStarted(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string BulkOperationId,
    DateTimeOffset StartedAt);

/// <summary>Ask Shopify for the state of a running bulk operation, which extracts <paramref name="Entity"/>.</summary>
public record PollBulkOperation(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string BulkOperationId,
    int Attempt);

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

/// <summary>The operation is CREATED or RUNNING; poll again later.</summary>
public record BulkOperationStillRunning(
    Guid RunId,
    string BulkOperationId,
    int Attempt,
    string Status,
    long ObjectCount);

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

/// <summary>The operation's JSONL of <paramref name="Entity"/> is archived, untouched, at <paramref name="ArchiveKey"/>.</summary>
public record BulkResultArchived(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    long Bytes,
    long Lines);

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
