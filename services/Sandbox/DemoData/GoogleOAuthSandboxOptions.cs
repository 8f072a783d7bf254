using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

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
