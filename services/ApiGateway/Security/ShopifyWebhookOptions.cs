namespace GrowthOs.ApiGateway.Security;

/// <summary>Shopify's webhooks at the gateway: the app's secret, the body limit and the replay window (<c>ShopifyWebhooks</c>).</summary>
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

    /// <summary>
    /// How old a delivery may be (its <c>X-Shopify-Triggered-At</c>) and how long its <c>X-Shopify-Webhook-Id</c> is
    /// remembered: an older one is refused, a remembered one not forwarded again. Shopify retries a failed delivery
    /// for hours under the same id; a finish webhook missed this way is made up by the run's fallback poll.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 24 * 60)]
    public int ReplayWindowMinutes { get; set; } = 60;

    /// <summary>How far ahead of the gateway's clock a delivery's time may be (clocks differ a little).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 60)]
    public int ClockSkewMinutes { get; set; } = 5;

    /// <summary>
    /// Whether a request path is the webhook route in any spelling routing accepts: any case, a trailing slash,
    /// doubled slashes. The check must see every request the route would match, or a spelling could pass unsigned.
    /// </summary>
    public static bool IsWebhookPath(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 2
            && string.Equals(segments[0], "webhooks", StringComparison.OrdinalIgnoreCase)
            && string.Equals(segments[1], "shopify", StringComparison.OrdinalIgnoreCase);
    }
}
