namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Shopify's <c>customers/redact</c>, signed and deduplicated by <paramref name="WebhookId"/>: the shop's customer
/// <paramref name="CustomerId"/> is to be forgotten. Its rows are removed and its orders (theirs, and
/// <paramref name="OrderIds"/>) no longer name it, now and after every later load. Carries ids only, never the
/// customer's e-mail or phone the webhook names it by.
/// </summary>
public record CustomerRedactRequested(string ShopDomain, long CustomerId, IReadOnlyList<long> OrderIds, string WebhookId, DateTimeOffset TriggeredAt);
