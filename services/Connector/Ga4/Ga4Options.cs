using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Ga4;

public sealed class Ga4Options
{
    public const string Section = "Ga4";

    /// <summary>The GA4 Data API: <c>https://analyticsdata.googleapis.com</c>; the Sandbox's is <c>http://127.0.0.1:8090/ga4</c>.</summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "Ga4:BaseUrl must be an http(s) URL.")]
    public string BaseUrl { get; set; } = "https://analyticsdata.googleapis.com";

    [Required]
    [RegularExpression(@"^v1(alpha|beta)?$", ErrorMessage = "Ga4:ApiVersion must be v1beta (or v1alpha).")]
    public string ApiVersion { get; set; } = "v1beta";

    /// <summary>The metric counted as conversions: <c>keyEvents</c>, or <c>conversions</c> for a property that still reports it.</summary>
    [Required, RegularExpression("^(keyEvents|conversions)$", ErrorMessage = "Ga4:KeyEventsMetric is keyEvents or conversions.")]
    public string KeyEventsMetric { get; set; } = "keyEvents";

    /// <summary>Rows a page (GA4's default is 10,000, its maximum 250,000).</summary>
    [Range(1, 250_000)]
    public int PageSize { get; set; } = 10_000;

    /// <summary>The Connector's own cap on reports a minute per property.</summary>
    [Range(1, 10_000)]
    public int MaxRequestsPerMinute { get; set; } = 10;

    /// <summary>When the property's hourly (or daily) tokens left fall below this, the next report waits for them to return.</summary>
    [Range(0, 100_000)]
    public int MinRemainingTokens { get; set; } = 100;

    /// <summary>The property's hourly token budget (40,000 for a standard property), against which the usage each answer reports is told as a share.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Ga4:TokensPerHour must be 1 or more.")]
    public int TokensPerHour { get; set; } = 40_000;

    /// <summary>A wait longer than this is not slept through: the fetch is deferred with it (the saga waits durably).</summary>
    [Range(0, 600)]
    public int MaxInlineWaitSeconds { get; set; } = 10;

    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// The Admin API a connection's check reads the property from: <c>https://analyticsadmin.googleapis.com</c>; the Sandbox's is
    /// <c>http://127.0.0.1:8090/ga4-admin</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "Ga4:AdminBaseUrl must be an http(s) URL.")]
    public string AdminBaseUrl { get; set; } = "https://analyticsadmin.googleapis.com";

    [Required]
    [RegularExpression(@"^v1(alpha|beta)$", ErrorMessage = "Ga4:AdminApiVersion must be v1beta (or v1alpha).")]
    public string AdminApiVersion { get; set; } = "v1beta";

    /// <summary>Which GA4 property belongs to which shop, with its token (from a secret or the environment, never a committed file).</summary>
    public List<Ga4Property> Properties { get; set; } = [];

    public Ga4Property? PropertyOf(string shop) =>
        Properties.FirstOrDefault(p => string.Equals(p.Shop, shop, StringComparison.OrdinalIgnoreCase));
}
