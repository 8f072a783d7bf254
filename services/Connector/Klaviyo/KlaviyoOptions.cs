using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Klaviyo;

public sealed class KlaviyoOptions
{
    public const string Section = "Klaviyo";

    /// <summary>Klaviyo's API: <c>https://a.klaviyo.com</c>; the Sandbox's is <c>http://127.0.0.1:8090/klaviyo</c>. Nothing else differs.</summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "Klaviyo:BaseUrl must be an http(s) URL.")]
    public string BaseUrl { get; set; } = "https://a.klaviyo.com";

    /// <summary>The API revision every call names (<c>revision</c> header): the shapes the client reads are this revision's.</summary>
    [Required]
    [RegularExpression(@"^\d{4}-\d{2}-\d{2}(\.\w+)?$", ErrorMessage = "Klaviyo:Revision must look like 2025-07-15.")]
    public string Revision { get; set; } = "2025-07-15";

    /// <summary>The most pages one listing follows through <c>links.next</c>.</summary>
    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 1_000;

    /// <summary>
    /// A wait Klaviyo asks for (<c>Retry-After</c>) up to this long is slept through; a longer one defers the fetch. A minute: the
    /// Reporting API's steady limit (two reports a minute) is a window of a minute, and a fetch needs more reports than one window
    /// holds; a fetch deferred instead would start again and use the next window's reports on the same first ones.
    /// </summary>
    [Range(0, 600)]
    public int MaxInlineWaitSeconds { get; set; } = 60;

    [Range(1, 300)]
    public int RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>Which Klaviyo account belongs to which shop, with its private key.</summary>
    public List<KlaviyoAccount> Accounts { get; set; } = [];

    public KlaviyoAccount? AccountOf(string shop) =>
        Accounts.FirstOrDefault(a => string.Equals(a.Shop, shop, StringComparison.OrdinalIgnoreCase));
}
