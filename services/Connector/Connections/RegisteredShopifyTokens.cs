using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>The Admin API token of a shop's live connection, for every call the Connector makes to it.</summary>
public sealed class RegisteredShopifyTokens(ConnectionRegistry registry, ILogger<RegisteredShopifyTokens> logger) : IShopifyTokens
{
    public async ValueTask<string?> For(string shop, CancellationToken cancellationToken) =>
        (await registry.CredentialsOf(ConnectionProviders.Shopify, shop, cancellationToken))?.Credentials.AccessToken;

    public ValueTask Refused(string shop, string reason, CancellationToken cancellationToken) =>
        ConnectionRefusals.Record(registry, logger, ConnectionProviders.Shopify, shop, reason, cancellationToken);
}
