using System.Net;
using System.Text;
using GrowthOs.Connector.Shopify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Tests;

/// <summary>The Connector's Shopify client, for one shop and its token, over a stand-in that gives every request the same answer.</summary>
public static class ShopifyAnswering
{
    public static IServiceCollection AddShopifyAnswering(this IServiceCollection services, string shop, string token, HttpStatusCode status, string body,
        Action<ShopifyOptions>? configure = null)
    {
        var options = new ShopifyOptions
        {
            BaseUrlTemplate = "https://{shop}",
            ApiVersion = "2026-01",
            Shops = [new ShopCredentials { Domain = shop, AccessToken = token }],
        };
        configure?.Invoke(options);
        return services
            .AddSingleton(TimeProvider.System)
            .AddSingleton(new ThrottleGate(TimeProvider.System))
            .AddSingleton(Options.Create(options))
            .AddSingleton(provider => new ShopifyGraphQlClient(new HttpClient(new Answer(status, body)),
                provider.GetRequiredService<IOptions<ShopifyOptions>>(), provider.GetRequiredService<ThrottleGate>(),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<ShopifyGraphQlClient>()));
    }

    private sealed class Answer(HttpStatusCode status, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
