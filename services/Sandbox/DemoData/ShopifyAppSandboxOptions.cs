using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

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
