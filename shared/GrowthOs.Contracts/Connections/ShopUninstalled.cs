namespace GrowthOs.Contracts.Connections;

/// <summary>
/// Shopify said the shop uninstalled the app (its <c>app/uninstalled</c> webhook, signed and deduplicated by
/// <paramref name="WebhookId"/>): the shop's connection is disconnected and its token, which Shopify revoked, destroyed.
/// </summary>
public record ShopUninstalled(string ShopDomain, string WebhookId, DateTimeOffset TriggeredAt);
