namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Shopify's <c>shop/redact</c>, signed and deduplicated by <paramref name="WebhookId"/>: 48 hours after a shop uninstalled
/// the app, everything held of it is to be removed. The Connector disconnects what is left and purges the shop.
/// </summary>
public record ShopRedactRequested(string ShopDomain, string WebhookId, DateTimeOffset TriggeredAt);
