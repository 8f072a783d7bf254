using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Asks a connection's provider, with the connection's own credentials, what it is: Shopify's <c>shop</c> query for a
/// shop. A refusal is the provider's words; a provider that cannot be asked leaves the connection pending.
/// </summary>
public sealed class ConnectionChecks(ShopifyGraphQlClient shopify)
{
    public async Task<CheckResult> Check(string provider, string account, Credentials credentials, CancellationToken cancellationToken)
    {
        if (provider != ConnectionProviders.Shopify) return CheckResult.Unavailable($"Connections of {provider} are not checked by this build.");
        try
        {
            var shop = await shopify.ReadShop(account, credentials.AccessToken, cancellationToken);
            if (shop.MyshopifyDomain is { } domain && !string.Equals(domain, account, StringComparison.OrdinalIgnoreCase))
                return CheckResult.Refused($"The token is {domain}'s, not {account}'s.");
            return CheckResult.Active(shop.Name, shop.CurrencyCode, shop.IanaTimezone, shop.Plan, null);
        }
        catch (ShopifyApiException exception) when (exception.Transient)
        {
            return CheckResult.Unavailable(exception.Message);
        }
        catch (ShopifyApiException exception)
        {
            return CheckResult.Refused(exception.Message);
        }
    }
}

/// <summary>The Admin API token of a shop's live connection, for every call the Connector makes to it.</summary>
public sealed class RegisteredShopifyTokens(ConnectionRegistry registry) : IShopifyTokens
{
    public async ValueTask<string?> For(string shop, CancellationToken cancellationToken) =>
        (await registry.CredentialsOf(ConnectionProviders.Shopify, shop, cancellationToken))?.Credentials.AccessToken;
}
