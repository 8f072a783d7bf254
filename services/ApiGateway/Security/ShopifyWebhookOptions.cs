namespace GrowthOs.ApiGateway.Security;

public sealed class ShopifyWebhookOptions
{
    public const string Section = "ShopifyWebhooks";
    public const string Path = "/webhooks/shopify";
    public const string SignatureHeader = "X-Shopify-Hmac-Sha256";

    /// <summary>
    /// The app's client secret, with which Shopify signs every webhook (from a secret or the environment:
    /// <c>ShopifyWebhooks__Secret</c>). Empty: <c>POST /webhooks/shopify</c> refuses everything.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>The largest webhook body accepted; Shopify's bulk_operations/finish is a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
