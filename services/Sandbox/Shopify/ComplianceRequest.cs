namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// A mandatory compliance webhook to send to the app: its topic, its shop and its payload, numbered; a <c>shop/redact</c>
/// names the uninstall it follows.
/// </summary>
public sealed record ComplianceRequest(long Number, string Topic, string ShopDomain, DateTimeOffset At, string Body, long? Uninstall = null);
