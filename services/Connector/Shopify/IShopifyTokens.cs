namespace GrowthOs.Connector.Shopify;

/// <summary>Where a shop's Admin API token comes from: its connection. Null when the shop has none (the settings' token is then used).</summary>
public interface IShopifyTokens
{
    ValueTask<string?> For(string shop, CancellationToken cancellationToken);

    /// <summary>Shopify refused the token <see cref="For"/> gave (HTTP 401): its connection is failing, in Shopify's words.</summary>
    ValueTask Refused(string shop, string reason, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
