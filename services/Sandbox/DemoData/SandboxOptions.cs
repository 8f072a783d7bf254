using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>How long a bulk operation stays CREATED/RUNNING before it completes.</summary>
    [Range(0, 3_600_000, ErrorMessage = "Sandbox:BulkOperationDurationMilliseconds must be between 0 and 3600000.")]
    public int BulkOperationDurationMilliseconds { get; set; } = 3_000;

    /// <summary>The last day of demo data (each shop's own day); empty means the shop's yesterday, so the data always ends recently.</summary>
    public DateOnly? AnchorDate { get; set; }

    /// <summary>
    /// The moment whose yesterday, in each shop's own time zone, is its last day of data (when no
    /// <see cref="AnchorDate"/> is set); empty means the moment the shop is first asked for. A system that runs for long
    /// sets it once, so that a shop first asked for after a midnight has the same days as one asked for before.
    /// </summary>
    public DateTimeOffset? AnchorAt { get; set; }

    /// <summary>
    /// Where bulk operations and webhook subscriptions are kept, so that they outlive a restart; empty keeps them in
    /// memory only (tests).
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// Whether webhook subscriptions may name a plain-HTTP address. Shopify accepts HTTPS only; a local system whose
    /// gateway listens on HTTP turns this on.
    /// </summary>
    public bool AllowHttpWebhooks { get; set; }

    /// <summary>The Meta Marketing API's side of the Sandbox: ad accounts, each belonging to a demo shop.</summary>
    public MetaSandboxOptions Meta { get; set; } = new();

    /// <summary>The Google Ads API's side of the Sandbox: customers (ad accounts), each belonging to a demo shop.</summary>
    public GoogleAdsSandboxOptions GoogleAds { get; set; } = new();

    /// <summary>Google's OAuth token endpoint: the client whose refresh tokens the Google Ads customers and GA4 properties grant.</summary>
    public GoogleOAuthSandboxOptions GoogleOAuth { get; set; } = new();

    /// <summary>The GA4 Data API's side of the Sandbox: properties, each belonging to a demo shop.</summary>
    public Ga4SandboxOptions Ga4 { get; set; } = new();

    /// <summary>Klaviyo's side of the Sandbox: e-mail accounts, each belonging to a demo shop.</summary>
    public KlaviyoSandboxOptions Klaviyo { get; set; } = new();

    /// <summary>
    /// The Shopify app the demo shops install through the authorization code grant (its secret is each shop's <see cref="SandboxShop.AppSecret"/>).
    /// </summary>
    public ShopifyAppSandboxOptions ShopifyApp { get; set; } = new();

    /// <summary>Demo shops made from one setting, with their ad accounts, beside those listed here.</summary>
    public FleetSandboxOptions Fleet { get; set; } = new();

    [MinLength(1, ErrorMessage = "Sandbox:Shops must list at least one shop.")]
    public List<SandboxShop> Shops { get; set; } = [];
}
