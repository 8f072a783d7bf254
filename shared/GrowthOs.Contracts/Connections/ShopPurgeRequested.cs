namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Every row and archived object of <paramref name="ShopDomain"/> is to be removed, in every service (a connection deleted
/// with purge, or Shopify's <c>shop/redact</c>). Published by the Connector after the shop's connections were disconnected;
/// each service answers with <see cref="ShopPurged"/>. Heard twice, it removes nothing more. <paramref name="ConnectionIds"/>
/// are every connection the shop had: a service's copy keeps each as a tombstone, so that an event of one still on its way
/// cannot bring the shop back.
/// </summary>
public record ShopPurgeRequested(Guid PurgeId, string ShopDomain, string Reason, DateTimeOffset RequestedAt, IReadOnlyList<Guid>? ConnectionIds = null);
