using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.GoogleAds;

public sealed class GoogleAdsOptions
{
    public const string Section = "GoogleAds";

    /// <summary>The Google Ads API: <c>https://googleads.googleapis.com</c>; the Sandbox's is <c>http://127.0.0.1:8090/google-ads</c>.</summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "GoogleAds:BaseUrl must be an http(s) URL.")]
    public string BaseUrl { get; set; } = "https://googleads.googleapis.com";

    [Required]
    [RegularExpression(@"^v\d+$", ErrorMessage = "GoogleAds:ApiVersion must look like v20.")]
    public string ApiVersion { get; set; } = "v20";

    /// <summary>The developer token, sent in <c>developer-token</c> when set (from a secret or the environment).</summary>
    public string? DeveloperToken { get; set; }

    /// <summary>Operations a day the access level allows (Basic: 15,000; a query counts as one), shared by every customer of the token.</summary>
    [Range(1, 10_000_000)]
    public int DailyOperations { get; set; } = 15_000;

    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 120;

    public List<GoogleAdsCustomer> Customers { get; set; } = [];

    public GoogleAdsCustomer? CustomerOf(string shop) =>
        Customers.FirstOrDefault(c => string.Equals(c.Shop, shop, StringComparison.OrdinalIgnoreCase));
}
