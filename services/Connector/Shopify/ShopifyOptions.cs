using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Shopify;

public sealed class ShopifyOptions
{
    public const string Section = "Shopify";

    /// <summary>
    /// Where a shop's Admin API lives; <c>{shop}</c> is replaced by the shop domain. Shopify itself is
    /// <c>https://{shop}</c>; the sandbox is <c>http://127.0.0.1:8090/{shop}</c>. Nothing else differs.
    /// </summary>
    [Required(ErrorMessage = "Shopify:BaseUrlTemplate is required.")]
    [RegularExpression(@"^https?://.*\{shop\}.*$", ErrorMessage = "Shopify:BaseUrlTemplate must be an http(s) URL containing {{shop}}.")]
    public string BaseUrlTemplate { get; set; } = "https://{shop}";

    [Required(ErrorMessage = "Shopify:ApiVersion is required.")]
    [RegularExpression(@"^\d{4}-\d{2}$", ErrorMessage = "Shopify:ApiVersion must look like 2026-01.")]
    public string ApiVersion { get; set; } = "2026-01";

    [Range(1, 300, ErrorMessage = "Shopify:RequestTimeoutSeconds must be between 1 and 300.")]
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// The public address of the gateway's <c>POST /webhooks/shopify</c> (for example
    /// <c>https://growth.example.com/webhooks/shopify</c>). When set, the Connector subscribes each shop to
    /// <c>bulk_operations/finish</c> at start, so that a finished operation moves its run on at once; polling stays
    /// the fallback. Empty: no subscription, polling only.
    /// </summary>
    public string? WebhookCallbackUrl { get; set; }

    /// <summary>Shops this Connector may read, each with its Admin API access token (from a secret or an environment variable).</summary>
    public List<ShopCredentials> Shops { get; set; } = [];

    public string? AccessTokenFor(string shopDomain) =>
        Shops.FirstOrDefault(s => string.Equals(s.Domain, shopDomain, StringComparison.OrdinalIgnoreCase))?.AccessToken;
}

public sealed class ShopCredentials
{
    [Required(ErrorMessage = "Shopify:Shops:n:Domain is required.")]
    public string Domain { get; set; } = "";

    [Required(ErrorMessage = "Shopify:Shops:n:AccessToken is required.")]
    public string AccessToken { get; set; } = "";

    public override string ToString() => $"{Domain} (token redacted)";
}
