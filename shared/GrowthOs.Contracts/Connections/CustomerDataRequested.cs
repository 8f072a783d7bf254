namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Shopify's <c>customers/data_request</c>: the shop's merchant asks what is held on customer <paramref name="CustomerId"/>
/// (and its orders <paramref name="OrderIds"/>), for Shopify's data request <paramref name="DataRequestId"/>. The report
/// is written to the archive and named in the audit log (<see cref="CustomerDataReported"/>).
/// </summary>
public record CustomerDataRequested(
    string ShopDomain, long CustomerId, IReadOnlyList<long> OrderIds, string DataRequestId, string WebhookId, DateTimeOffset TriggeredAt);
