using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using Microsoft.Extensions.Options;

namespace GrowthOs.Connector.Connections;

/// <summary>Whether the Connector's settings name a shop (its token, or one of its accounts), and where.</summary>
public sealed class ConfiguredShops(
    IOptions<ShopifyOptions> shopify, IOptions<MetaOptions> meta, IOptions<GoogleAdsOptions> googleAds, IOptions<Ga4Options> ga4)
{
    public string? Named(string shop) =>
        shopify.Value.AccessTokenFor(shop) is not null ? "Shopify:Shops"
        : meta.Value.AccountOf(shop) is not null ? "Meta:Accounts"
        : googleAds.Value.CustomerOf(shop) is not null ? "GoogleAds:Customers"
        : ga4.Value.PropertyOf(shop) is not null ? "Ga4:Properties"
        : null;
}
