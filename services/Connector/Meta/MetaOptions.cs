using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Meta;

public sealed class MetaOptions
{
    public const string Section = "Meta";

    /// <summary>The Graph API: <c>https://graph.facebook.com</c>; the Sandbox's is <c>http://127.0.0.1:8090/meta</c>. Nothing else differs.</summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "Meta:BaseUrl must be an http(s) URL.")]
    public string BaseUrl { get; set; } = "https://graph.facebook.com";

    [Required]
    [RegularExpression(@"^v\d+\.\d+$", ErrorMessage = "Meta:ApiVersion must look like v23.0.")]
    public string ApiVersion { get; set; } = "v23.0";

    /// <summary>Ranges longer than this many days are asked for as an asynchronous report.</summary>
    [Range(1, 400)]
    public int AsyncAfterDays { get; set; } = 31;

    [Range(1, 5_000)]
    public int PageSize { get; set; } = 500;

    /// <summary>The most pages one read follows through <c>paging.next</c>: 500 rows a page, 10,000 pages is far past any shop's campaigns.</summary>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 10_000;

    /// <summary>The Connector's own cap on calls an hour per ad account, below Meta's.</summary>
    [Range(1, 100_000)]
    public int MaxCallsPerHour { get; set; } = 200;

    /// <summary>From this usage (any of Meta's percentages) on, calls are spaced out; at 100 % Meta throttles.</summary>
    [Range(1, 99)]
    public int SlowDownAtPercent { get; set; } = 75;

    /// <summary>A wait longer than this is not slept through: the fetch is deferred with it (the saga waits durably).</summary>
    [Range(0, 600)]
    public int MaxInlineWaitSeconds { get; set; } = 10;

    [Range(1, 3_600)]
    public int ReportPollSeconds { get; set; } = 5;

    [Range(1, 10_000)]
    public int MaxReportPolls { get; set; } = 360;

    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// The Meta app a short-lived user token was issued to, and its secret (from a secret, never a committed file): with
    /// them, a connection given a short-lived token (<c>"exchange": true</c>) keeps the long-lived one Meta exchanges it for.
    /// </summary>
    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>Which ad account belongs to which shop, with its token (from a secret or the environment, never a committed file).</summary>
    public List<MetaAccount> Accounts { get; set; } = [];

    public MetaAccount? AccountOf(string shop) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Shop, shop, StringComparison.OrdinalIgnoreCase));
}
