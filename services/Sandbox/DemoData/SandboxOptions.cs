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

    /// <summary>The Shopify app the demo shops install through the authorization code grant (its secret is each shop's <see cref="SandboxShop.AppSecret"/>).</summary>
    public ShopifyAppSandboxOptions ShopifyApp { get; set; } = new();

    [MinLength(1, ErrorMessage = "Sandbox:Shops must list at least one shop.")]
    public List<SandboxShop> Shops { get; set; } = [];
}

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

public sealed class MetaSandboxOptions
{
    public List<SandboxAdAccount> AdAccounts { get; set; } = [];

    /// <summary>The app the accounts' tokens were issued to, as Meta names it in a revoked token's error and takes it in a token exchange.</summary>
    public string AppId { get; set; } = "1029384756102938";

    /// <summary>The app's secret: a token exchange (<c>fb_exchange_token</c>) with another is refused.</summary>
    public string AppSecret { get; set; } = "sandbox-meta-app-secret";

    /// <summary>How long a long-lived token lasts, as a token exchange answers it (Meta: about 60 days).</summary>
    [Range(1, 100 * 86_400)]
    public int LongLivedTokenSeconds { get; set; } = 5_183_944;

    /// <summary>How long an asynchronous insights report takes to complete.</summary>
    [Range(0, 3_600_000)]
    public int ReportDurationMilliseconds { get; set; } = 2_000;

    /// <summary>Calls an ad account may make in an hour before its usage reaches 100 % and Meta throttles it (code 80000).</summary>
    [Range(1, 1_000_000)]
    public int CallsPerHour { get; set; } = 200;
}

public sealed class SandboxAdAccount
{
    /// <summary>The ad account's id, digits only (the API names it act_{id}).</summary>
    public string Id { get; set; } = "";

    public string AccessToken { get; set; } = "";

    /// <summary>A short-lived user token of the account's person: exchanged (<c>fb_exchange_token</c>) for <see cref="AccessToken"/>.</summary>
    public string? ShortLivedToken { get; set; }

    /// <summary>The account's name as Meta answers it (by default the shop's name and "ads").</summary>
    public string? Name { get; set; }

    /// <summary>The demo shop whose sales the account's ads are drawn from; the account's currency is the shop's.</summary>
    public string Shop { get; set; } = "";

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>
    /// Failures this account answers with, for tests: <c>RATE_LIMIT_80000:n</c>, <c>RATE_LIMIT_17:n</c>,
    /// <c>RATE_LIMIT_4:n</c>, <c>RATE_LIMIT_613:n</c>, <c>TRANSIENT_2:n</c> (the first n calls), <c>TOKEN_EXPIRED</c>,
    /// <c>USAGE_NEAR</c> (usage headers at 95 %), <c>TOO_MUCH_DATA:days</c> (a synchronous range longer than that many
    /// days is refused with code 1), <c>ASYNC_FAILED</c>, <c>ASYNC_SKIPPED</c>.
    /// </summary>
    public List<string> Failures { get; set; } = [];
}

public sealed class GoogleAdsSandboxOptions
{
    public List<SandboxAdsCustomer> Customers { get; set; } = [];

    /// <summary>Rows in each batch of a searchStream answer.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Operations a day (a query counts as one) before RESOURCE_EXHAUSTED, as Basic access allows.</summary>
    [Range(1, 1_000_000)]
    public int DailyOperations { get; set; } = 15_000;
}

public sealed class SandboxAdsCustomer
{
    /// <summary>The customer id, ten digits without dashes.</summary>
    public string Id { get; set; } = "";

    /// <summary>The OAuth access token the customer's user has granted.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>A manager account the customer is reached through: then login-customer-id must name it.</summary>
    public string? ManagerId { get; set; }

    public string Shop { get; set; } = "";

    /// <summary>A refresh token of the Sandbox's OAuth client, for which the token endpoint issues access tokens of this customer.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The customer's time zone, as <c>customer.time_zone</c> answers it.</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Failures, for tests: <c>QUOTA:n</c> (RESOURCE_EXHAUSTED with a retryDelay, the first n queries), <c>INTERNAL:n</c>.</summary>
    public List<string> Failures { get; set; } = [];
}

public sealed class Ga4SandboxOptions
{
    public List<SandboxGa4Property> Properties { get; set; } = [];

    /// <summary>A standard property's quotas (GA4's own figures): tokens a day and an hour, requests at once.</summary>
    [Range(1, 100_000_000)]
    public int TokensPerDay { get; set; } = 200_000;

    [Range(1, 100_000_000)]
    public int TokensPerHour { get; set; } = 40_000;

    [Range(1, 1_000)]
    public int ConcurrentRequests { get; set; } = 10;
}

public sealed class SandboxGa4Property
{
    /// <summary>The property id, digits only (the API names it properties/{id}).</summary>
    public string Id { get; set; } = "";

    /// <summary>The OAuth access token of a user or service account the property is shared with.</summary>
    public string AccessToken { get; set; } = "";

    public string Shop { get; set; } = "";

    /// <summary>A refresh token of the Sandbox's OAuth client, for which the token endpoint issues access tokens of this property.</summary>
    public string? RefreshToken { get; set; }

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>
    /// Failures, for tests: <c>QUOTA_HOURLY:n</c>, <c>QUOTA_DAILY:n</c>, <c>CONCURRENT:n</c> (429 RESOURCE_EXHAUSTED, the
    /// first n reports), <c>PERMISSION_DENIED</c> (403), <c>TOKENS_LOW</c> (the property's hourly tokens nearly used up),
    /// <c>INTERNAL:n</c> (500), <c>METADATA_EMPTY</c> and <c>NO_CURRENCY</c> (a report whose <c>metadata</c> says no currency).
    /// </summary>
    public List<string> Failures { get; set; } = [];
}

public sealed class ShopifyAppSandboxOptions
{
    /// <summary>The app's client id: an install asking for another is refused.</summary>
    public string ClientId { get; set; } = "sandbox-shopify-client-id";

    /// <summary>The redirection URLs the app allows (exactly, as Shopify compares them); none listed: any http(s) URL.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>How long an authorization code may wait for its exchange.</summary>
    [Range(1, 3_600)]
    public int AuthorizationCodeSeconds { get; set; } = 600;

    /// <summary>Where the app takes its mandatory compliance webhooks (its <c>compliance_topics</c> URL); none: they are not sent.</summary>
    public string? ComplianceUri { get; set; }

    /// <summary>The <c>api_version</c> of the app's webhooks, the version its compliance webhooks are sent in.</summary>
    public string WebhooksApiVersion { get; set; } = "2026-01";

    /// <summary>How long after an uninstall <c>shop/redact</c> is sent (Shopify: 48 hours).</summary>
    [Range(0, 30 * 86_400)]
    public int ShopRedactAfterSeconds { get; set; } = 48 * 3_600;
}

public sealed class GoogleOAuthSandboxOptions
{
    public string ClientId { get; set; } = "sandbox-client.apps.googleusercontent.com";

    public string ClientSecret { get; set; } = "GOCSPX-sandbox-client-secret";

    /// <summary>How long an issued access token is accepted (Google's last an hour).</summary>
    [Range(1, 86_400)]
    public int AccessTokenLifetimeSeconds { get; set; } = 3_599;

    /// <summary>The client's authorized redirect URIs (exactly, as Google compares them); none listed: any http(s) URL.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>How long an authorization code can be exchanged, once.</summary>
    [Range(1, 3_600)]
    public int AuthorizationCodeSeconds { get; set; } = 600;
}
