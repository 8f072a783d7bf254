using GrowthOs.Connector.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Subscribes a newly connected shop to the webhooks the system answers: <c>bulk_operations/finish</c> (as
/// <see cref="WebhookSubscriber"/> does the settings' shops at start) and <c>app/uninstalled</c>, at the gateway's
/// address, <see cref="ShopifyOptions.WebhookCallbackUrl"/>.
/// </summary>
public sealed class ShopWebhooks(ShopifyGraphQlClient shopify, IOptions<ShopifyOptions> options, ILogger<ShopWebhooks> logger)
{
    public static readonly string[] Topics = ["BULK_OPERATIONS_FINISH", "APP_UNINSTALLED"];

    public async Task Subscribe(string shop, CancellationToken cancellationToken)
    {
        if (options.Value.WebhookCallbackUrl is not { Length: > 0 } callbackUrl || !Uri.TryCreate(callbackUrl, UriKind.Absolute, out _)) return;
        foreach (var topic in Topics)
        {
            try
            {
                var id = await shopify.Subscribe(shop, topic, callbackUrl, cancellationToken);
                logger.LogInformation("Subscribed {ShopDomain} to {Topic} at {CallbackUrl} ({SubscriptionId})", shop, topic, callbackUrl, id ?? "already");
            }
            catch (ShopifyApiException exception)
            {
                // Without the finish webhook the shop's runs complete by polling; a later check subscribes it again.
                logger.LogWarning("Subscribing {ShopDomain} to {Topic} failed: {Error}", shop, topic, exception.Message);
            }
        }
    }
}
