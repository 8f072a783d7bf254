using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>How long a bulk operation stays CREATED/RUNNING before it completes.</summary>
    [Range(0, 3_600_000, ErrorMessage = "Sandbox:BulkOperationDurationMilliseconds must be between 0 and 3600000.")]
    public int BulkOperationDurationMilliseconds { get; set; } = 3_000;

    /// <summary>The last day of demo data (UTC); empty means yesterday, so the data always ends recently.</summary>
    public DateOnly? AnchorDate { get; set; }

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

    [MinLength(1, ErrorMessage = "Sandbox:Shops must list at least one shop.")]
    public List<SandboxShop> Shops { get; set; } = [];
}

public sealed class SandboxShop
{
    [Required(ErrorMessage = "Sandbox:Shops:n:Domain is required.")]
    public string Domain { get; set; } = "";

    [Required(ErrorMessage = "Sandbox:Shops:n:AccessToken is required.")]
    public string AccessToken { get; set; } = "";

    /// <summary>The client secret of the app this shop installed: it signs the shop's webhooks (X-Shopify-Hmac-Sha256).</summary>
    [Required(ErrorMessage = "Sandbox:Shops:n:AppSecret is required (it signs the shop's webhooks).")]
    public string AppSecret { get; set; } = "shpss_sandbox_app_secret";

    public int Seed { get; set; } = 42;

    [Range(1, 3650)]
    public int Days { get; set; } = 180;

    /// <summary>Average orders a day before seasonality, weekday variance and growth.</summary>
    [Range(1, 100_000)]
    public int OrdersPerDay { get; set; } = 30;

    [Required]
    public string CurrencyCode { get; set; } = "USD";

    /// <summary>
    /// Failures this shop answers with, for tests: <c>OPERATION_IN_PROGRESS:n</c>, <c>THROTTLED:n</c>, <c>HTTP_503:n</c>
    /// (the first n matching requests), <c>ACCESS_DENIED</c> (every read scope is missing) or
    /// <c>ACCESS_DENIED:root</c> (the scope of that bulk query root only: orders, products, inventoryItems, customers), <c>FAILED_PARTIAL</c> (the
    /// operation fails with INTERNAL_SERVER_ERROR and half its data at partialDataUrl), <c>EXPIRED</c>.
    /// </summary>
    public List<string> Failures { get; set; } = [];
}
