using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Connector.Marketing;

public sealed class GoogleOAuthOptions
{
    public const string Section = "GoogleOAuth";

    /// <summary>
    /// Google's token endpoint: <c>https://oauth2.googleapis.com/token</c>; the Sandbox's is <c>http://127.0.0.1:8090/google-oauth/token</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "GoogleOAuth:TokenUrl must be an http(s) URL.")]
    public string TokenUrl { get; set; } = "https://oauth2.googleapis.com/token";

    /// <summary>
    /// Google's consent page: <c>https://accounts.google.com/o/oauth2/v2/auth</c>; the Sandbox's is
    /// <c>http://127.0.0.1:8090/google-oauth/o/oauth2/v2/auth</c>.
    /// </summary>
    [Required]
    [RegularExpression(@"^https?://\S+$", ErrorMessage = "GoogleOAuth:AuthorizeUrl must be an http(s) URL.")]
    public string AuthorizeUrl { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";

    /// <summary>The OAuth client the refresh tokens were granted to (from a secret or the environment).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>
    /// The public address of the gateway's <c>GET /api/connections/google/callback</c>, as the OAuth client lists it among
    /// its authorized redirect URIs: with <see cref="ClientId"/>, Google Ads customers and GA4 properties connect through
    /// Google's consent page.
    /// </summary>
    public string? RedirectUri { get; set; }

    /// <summary>Where the person's browser goes once the account is connected, with <c>?connection_id=…&amp;status=…</c>: the dashboard.</summary>
    public string ReturnUrl { get; set; } = "/";

    /// <summary>How long a consent may take: a state nonce lives this long.</summary>
    [Range(10, 3_600, ErrorMessage = "GoogleOAuth:StateMaxAgeSeconds must be between 10 and 3600.")]
    public int StateMaxAgeSeconds { get; set; } = 600;

    /// <summary>An access token is renewed this long before Google says it expires.</summary>
    [Range(0, 3_000)]
    public int RenewBeforeSeconds { get; set; } = 300;

    [Range(1, 120)]
    public int RequestTimeoutSeconds { get; set; } = 30;
}
