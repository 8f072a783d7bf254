using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Persistence;

namespace GrowthOs.Connector.Connections;

public static class ConnectionRegistration
{
    /// <summary>The registry of connections in the Connector's own schema, its sealed credentials, its events and its upkeep.</summary>
    public static WebApplicationBuilder AddConnections(this WebApplicationBuilder builder)
    {
        builder.AddPostgres("connector", typeof(ConnectionRegistry).Assembly);
        builder.Services.AddValidatedOptions<ConnectionOptions>(ConnectionOptions.Section);
        builder.Services.AddSingleton<CredentialCipher>();
        builder.Services.AddSingleton<ConnectionEventSignal>();
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<ShopPurges>();
        builder.Services.AddSingleton<ConfiguredShops>();
        builder.Services.AddSingleton<IShopifyTokens, RegisteredShopifyTokens>();
        builder.Services.AddSingleton<IMetaAccounts, RegisteredMetaAccounts>();
        builder.Services.AddSingleton<GrowthOs.Connector.Klaviyo.IKlaviyoAccounts, RegisteredKlaviyoAccounts>();
        builder.Services.AddSingleton<IGoogleAccounts, RegisteredGoogleAccounts>();
        builder.Services.AddTransient<ConnectionChecks>();
        builder.Services.AddTransient<ShopWebhooks>();
        builder.Services.AddHostedService<ConnectionEventPublisher>();
        builder.Services.AddHostedService<ConnectionMaintenance>();
        return builder;
    }
}
