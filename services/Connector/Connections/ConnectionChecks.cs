using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Klaviyo;
using GrowthOs.Connector.Marketing;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// Asks a connection's provider, with the connection's own credentials, what it is: Shopify's <c>shop</c> query for a
/// shop, the ad account's own node for a Meta ad account. A refusal is the provider's words; a provider that cannot be
/// asked leaves the connection pending.
/// </summary>
public sealed class ConnectionChecks(
    ShopifyGraphQlClient shopify, MetaInsightsClient? meta = null, GoogleAdsClient? googleAds = null, Ga4Client? ga4 = null,
    GoogleAccessTokens? googleTokens = null, KlaviyoClient? klaviyo = null)
{
    public async Task<CheckResult> Check(string provider, string account, Credentials credentials, CancellationToken cancellationToken, string? shop = null,
        string? loginCustomerId = null)
    {
        if (provider == ConnectionProviders.Meta && meta is not null) return await CheckMeta(shop ?? "", account, credentials, cancellationToken);
        if (provider == ConnectionProviders.Klaviyo && klaviyo is not null) return await CheckKlaviyo(account, credentials, cancellationToken);
        if (provider is ConnectionProviders.GoogleAds or ConnectionProviders.Ga4 && googleAds is not null && ga4 is not null && googleTokens is not null)
            return await CheckGoogle(provider, account, loginCustomerId, credentials, cancellationToken);
        if (provider != ConnectionProviders.Shopify) return CheckResult.Unavailable($"Connections of {provider} are not checked by this build.");
        try
        {
            var found = await shopify.ReadShop(account, credentials.AccessToken, cancellationToken);
            if (found.MyshopifyDomain is { } domain && !string.Equals(domain, account, StringComparison.OrdinalIgnoreCase))
                return CheckResult.Refused($"The token is {domain}'s, not {account}'s.");
            return CheckResult.Active(found.Name, found.CurrencyCode, found.IanaTimezone, found.Plan, null);
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

    /// <summary>
    /// A Google Ads customer (<c>SELECT customer.… FROM customer</c>, through its manager when one is named) or a GA4
    /// property (the Admin API's <c>properties.get</c>), read with an access token of the connection's refresh token.
    /// </summary>
    private async Task<CheckResult> CheckGoogle(string provider, string account, string? loginCustomerId, Credentials credentials,
        CancellationToken cancellationToken)
    {
        try
        {
            var token = await googleTokens!.For(provider, $"{provider} {account}", credentials.AccessToken, credentials.RefreshToken, cancellationToken);
            if (provider == ConnectionProviders.GoogleAds)
            {
                var customer = await googleAds!.ReadCustomer(account, loginCustomerId, token, cancellationToken);
                return customer.Usable
                    ? CheckResult.Active(customer.Name, customer.Currency, customer.TimeZone, null, customer.Status)
                    : CheckResult.Refused($"Google Ads says customer {account} is {customer.Status}: it serves no ads.");
            }
            var property = await ga4!.ReadProperty(account, token, cancellationToken);
            return property.DeleteTime is null
                ? CheckResult.Active(property.Name, property.Currency, property.TimeZone, null, null)
                : CheckResult.Refused($"GA4 says properties/{account} was moved to the trash at {property.DeleteTime}.");
        }
        catch (MarketingApiException exception) when (exception.Transient)
        {
            return CheckResult.Unavailable(exception.Message);
        }
        catch (MarketingApiException exception)
        {
            return CheckResult.Refused(exception.Message);
        }
    }

    /// <summary>A Klaviyo account, read with the private key being connected: <c>GET /api/accounts</c> answers the account the key belongs to.</summary>
    private async Task<CheckResult> CheckKlaviyo(string account, Credentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            var (id, name, zone, currency) = await klaviyo!.ReadAccount(credentials.AccessToken, cancellationToken);
            return id == account
                ? CheckResult.Active(name, currency, zone, null, null)
                : CheckResult.Refused($"The private key is Klaviyo account {id}'s, not {account}'s.");
        }
        catch (MarketingApiException exception) when (exception.Transient)
        {
            return CheckResult.Unavailable(exception.Message);
        }
        catch (MarketingApiException exception)
        {
            return CheckResult.Refused(exception.Message);
        }
    }

    private async Task<CheckResult> CheckMeta(string shop, string adAccountId, Credentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            var account = await meta!.ReadAccount(shop, adAccountId, credentials.AccessToken, cancellationToken);
            return account.Usable
                ? CheckResult.Active(account.Name, account.Currency, account.TimeZone, null, account.StatusName)
                : CheckResult.Refused($"Meta says ad account act_{adAccountId} is {account.StatusName}: its ads cannot run.");
        }
        catch (MarketingApiException exception) when (exception.Transient)
        {
            return CheckResult.Unavailable(exception.Message);
        }
        catch (MarketingApiException exception)
        {
            return CheckResult.Refused(exception.Message);
        }
    }
}
