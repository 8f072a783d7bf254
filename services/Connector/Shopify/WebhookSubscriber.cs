using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Shopify;

/// <summary>
/// At start, subscribes every configured shop to <c>bulk_operations/finish</c> at <see cref="ShopifyOptions.WebhookCallbackUrl"/>
/// (when it is set), trying again a minute later while Shopify cannot be reached. A shop already subscribed at that
/// address is left as it is. A refusal (an address Shopify does not accept) is logged: runs then complete by polling.
/// </summary>
public sealed class WebhookSubscriber(ShopifyGraphQlClient shopify, IOptions<ShopifyOptions> options, TimeProvider clock, ILogger<WebhookSubscriber> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WebhookCallbackUrl is not { Length: > 0 } callbackUrl) return;
        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out _))
        {
            logger.LogError("Shopify:WebhookCallbackUrl is not an absolute URL; runs complete by polling");
            return;
        }
        var pending = options.Value.Shops.Select(s => s.Domain).ToList();
        while (pending.Count > 0 && !stoppingToken.IsCancellationRequested)
        {
            foreach (var shop in pending.ToList())
            {
                try
                {
                    var id = await shopify.SubscribeToBulkOperationsFinish(shop, callbackUrl, stoppingToken);
                    logger.LogInformation(id is null
                        ? "{ShopDomain} was already subscribed to bulk_operations/finish at {CallbackUrl}"
                        : "Subscribed {ShopDomain} to bulk_operations/finish at {CallbackUrl} ({SubscriptionId})", shop, callbackUrl, id);
                    pending.Remove(shop);
                }
                catch (ShopifyApiException exception) when (exception.Transient)
                {
                    logger.LogWarning("Subscribing {ShopDomain} to bulk_operations/finish failed; trying again in {Delay}: {Error}", shop, RetryDelay,
                        exception.Message);
                }
                catch (Exception exception) when (exception is not ShopifyApiException and not OperationCanceledException)
                {
                    logger.LogWarning("Subscribing {ShopDomain} to bulk_operations/finish failed; trying again in {Delay}: {Error}", shop, RetryDelay,
                        exception.Message);
                }
                catch (ShopifyApiException exception)
                {
                    logger.LogError("Shopify refused to subscribe {ShopDomain} to bulk_operations/finish; its runs complete by polling: {Error}", shop,
                        exception.Message);
                    pending.Remove(shop);
                }
            }
            if (pending.Count > 0) await Task.Delay(RetryDelay, clock, stoppingToken);
        }
    }
}
