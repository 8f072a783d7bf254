namespace GrowthOs.Contracts.Connections;

/// <summary>
/// What is held on a customer was written to the archive as <paramref name="ArchiveKey"/>: <paramref name="Held"/> counts
/// the rows by kind (the customer, its orders, their lines, refunds and fulfillments).
/// </summary>
public record CustomerDataReported(
    string ShopDomain, long CustomerId, string DataRequestId, string WebhookId, string ArchiveKey, IReadOnlyDictionary<string, long> Held,
    DateTimeOffset ReportedAt);
