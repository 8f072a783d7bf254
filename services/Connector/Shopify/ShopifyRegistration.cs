using GrowthOs.Connector.Extraction;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Shopify;

public static class ShopifyRegistration
{
    public static WebApplicationBuilder AddShopify(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ShopifyOptions>(ShopifyOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ThrottleGate>();
        builder.Services.AddHttpClient<ShopifyGraphQlClient>((provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<ShopifyOptions>>().Value.RequestTimeoutSeconds));
        builder.Services.AddHttpClient<ShopifyOAuthClient>((provider, http) =>
            http.Timeout = TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<ShopifyOptions>>().Value.RequestTimeoutSeconds));
        builder.Services.AddHostedService<WebhookSubscriber>();
        // Result files can be gigabytes: no overall timeout, the stream is read as it arrives.
        // Redirects are not followed: a result is fetched only from the host its URL names, which must be allowed.
        builder.Services.AddHttpClient(ArchiveBulkOperationResultConsumer.DownloadClient, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) });
        return builder;
    }
}
