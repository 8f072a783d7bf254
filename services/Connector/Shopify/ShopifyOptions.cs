using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Shopify;

public sealed class ShopifyOptions : IValidatableObject
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

    /// <summary>
    /// The app's client id and client secret (Shopify's Dev Dashboard), for the install flow: a shop installs the app and
    /// its offline Admin API token comes back through <see cref="InstallRedirectUri"/>. The secret also signs the
    /// callback's query. Neither set: shops are connected with a custom app's token only.
    /// </summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The access scopes asked for: what the synced entities read (orders of every age, products, inventory, customers).</summary>
    public string Scopes { get; set; } = "read_orders,read_all_orders,read_products,read_inventory,read_customers";

    /// <summary>
    /// The public address of the gateway's <c>GET /api/connections/shopify/callback</c>, as the app lists it among its
    /// allowed redirection URLs (for example <c>https://growth.example.com/api/connections/shopify/callback</c>).
    /// </summary>
    public string? InstallRedirectUri { get; set; }

    /// <summary>Where the merchant's browser goes once the shop is connected, with <c>?connection_id=…&amp;status=…</c>: the dashboard.</summary>
    public string InstallReturnUrl { get; set; } = "/";

    /// <summary>How old the callback's <c>timestamp</c> may be, and how long a state nonce lives.</summary>
    [Range(10, 3_600, ErrorMessage = "Shopify:InstallMaxAgeSeconds must be between 10 and 3600.")]
    public int InstallMaxAgeSeconds { get; set; } = 300;

    /// <summary>
    /// The hosts the Connector downloads operations' results from (a host, or host:port), and from no other: the URL comes
    /// from Shopify, and a result elsewhere is refused. Shopify's bulk results are on <c>storage.googleapis.com</c>
    /// (appsettings.json); the Sandbox's are on its own address.
    /// </summary>
    public List<string> DownloadHosts { get; set; } = [];

    /// <summary>Downloads over plain http are refused unless this is set (the Sandbox on a loopback address only).</summary>
    public bool AllowHttpDownloads { get; set; }

    /// <summary>A download that receives nothing for this long is abandoned and tried again after a wait.</summary>
    [Range(1, 3_600, ErrorMessage = "Shopify:DownloadReadTimeoutSeconds must be between 1 and 3600.")]
    public int DownloadReadTimeoutSeconds { get; set; } = 60;

    /// <summary>Shops this Connector may read, each with its Admin API access token (from a secret or an environment variable).</summary>
    public List<ShopCredentials> Shops { get; set; } = [];

    /// <summary>Why the Connector will not download <paramref name="url"/>, or null when it may: https (or http when allowed) to a listed host.</summary>
    public string? DownloadRefusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "the result's URL is not an absolute URL";
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowHttpDownloads && uri.Scheme == Uri.UriSchemeHttp))
            return $"the result's URL is {uri.Scheme}, not https";
        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        // An entry without a port allows the scheme's default port only.
        return DownloadHosts.Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"the result's host {host} is not one of Shopify:DownloadHosts";
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(ClientId) != string.IsNullOrEmpty(ClientSecret))
            yield return new ValidationResult("Shopify:ClientId and Shopify:ClientSecret are given together (the app's client credentials), or neither.");
        if (!string.IsNullOrEmpty(ClientId) && !Uri.TryCreate(InstallRedirectUri, UriKind.Absolute, out _))
            yield return new ValidationResult("Shopify:InstallRedirectUri must be the absolute public address of /api/connections/shopify/callback "
                + "when Shopify:ClientId is set.");
        if (DownloadHosts.Count == 0)
            yield return new ValidationResult("Shopify:DownloadHosts must name at least one host results are downloaded from "
                + "(Shopify's: storage.googleapis.com).");
        for (var i = 0; i < DownloadHosts.Count; i++)
            if (string.IsNullOrWhiteSpace(DownloadHosts[i]) || DownloadHosts[i].Contains('/') || DownloadHosts[i].Contains('*'))
                yield return new ValidationResult($"Shopify:DownloadHosts:{i} '{DownloadHosts[i]}' must be a host or host:port, "
                    + $"without a scheme, path or wildcard.");
    }

    /// <summary>Where <paramref name="path"/> of a shop is, Shopify's or the Sandbox's: <c>/admin/oauth/authorize</c>, <c>/admin/api/…</c>.</summary>
    public string ShopUrl(string shop, string path) => $"{BaseUrlTemplate.Replace("{shop}", shop).TrimEnd('/')}{path}";

    public string? AccessTokenFor(string shopDomain) =>
        Shops.FirstOrDefault(s => string.Equals(s.Domain, shopDomain, StringComparison.OrdinalIgnoreCase))?.AccessToken;
}
