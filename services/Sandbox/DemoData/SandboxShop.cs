using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxShop : IValidatableObject
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

    /// <summary>The shop's name (Shopify's <c>shop.name</c>): by default its domain's first label, words capitalised.</summary>
    public string? Name { get; set; }

    /// <summary>The shop's plan (<c>shop.plan.publicDisplayName</c>): Basic, Grow, Advanced, Plus, Development...</summary>
    public string Plan { get; set; } = "Basic";

    /// <summary>The shop's IANA time zone (Shopify's <c>ianaTimezone</c>): its demo days run from midnight to midnight there.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long this shop's bulk operations run; unset, the Sandbox's <c>BulkOperationDurationMilliseconds</c>.</summary>
    [Range(0, 3_600_000, ErrorMessage = "Sandbox:Shops:n:BulkOperationDurationMilliseconds must be between 0 and 3600000.")]
    public int? BulkOperationDurationMilliseconds { get; set; }

    /// <summary>
    /// Failures this shop answers with, for tests: <c>OPERATION_IN_PROGRESS:n</c>, <c>THROTTLED:n</c>, <c>HTTP_503:n</c>
    /// (the first n matching requests), <c>ACCESS_DENIED</c> (every read scope is missing) or
    /// <c>ACCESS_DENIED:root</c> (the scope of that bulk query root only: orders, products, inventoryItems, customers), <c>FAILED_PARTIAL</c> (the
    /// operation fails with INTERNAL_SERVER_ERROR and half its data at partialDataUrl), <c>EXPIRED</c>.
    /// </summary>
    public List<string> Failures { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"TimeZone '{TimeZone}' of shop {Domain} is not a known IANA time zone.", [nameof(TimeZone)]);
    }
}
