using GrowthOs.Contracts.Connections;
using MassTransit;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Shopify's <c>shop/redact</c>: whatever is still connected of the shop is disconnected (its credentials destroyed), and
/// the shop is purged everywhere, as a purge whose id follows from the webhook's (heard twice, it is asked once).
/// </summary>
public sealed class ShopRedactRequestedConsumer(ShopPurges purges, ILogger<ShopRedactRequestedConsumer> logger) : IConsumer<ShopRedactRequested>
{
    /// <summary>Who such a purge is asked by: a name no API key can have (a key's id has no ':' or '/'), so no caller reads it as its own.</summary>
    public const string RequestedByShopify = "shopify:shop/redact";

    public async Task Consume(ConsumeContext<ShopRedactRequested> context)
    {
        var message = context.Message;
        var purgeId = NewIdFromName(message.WebhookId);
        await purges.PurgeShop(purgeId, null, message.ShopDomain, $"Shopify's shop/redact of {message.TriggeredAt:u}", RequestedByShopify,
            context.CancellationToken);
        logger.LogInformation("Shopify asked that {ShopDomain} be redacted (webhook {WebhookId}): purge {PurgeId}", message.ShopDomain, message.WebhookId,
            purgeId);
    }

    /// <summary>A purge id that is the same for the same webhook id.</summary>
    private static Guid NewIdFromName(string webhookId) =>
        new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"shop/redact:{webhookId}")).AsSpan(0, 16));
}
