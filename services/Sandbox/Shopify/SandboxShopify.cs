using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>The Sandbox's lasting parts, shared by every request.</summary>
public sealed record SandboxShopify(
    DemoShops Shops,
    SandboxBulkOperations Operations,
    BulkResults Results,
    FailureSwitches Failures,
    WebhookSubscriptions Webhooks,
    AppInstallations Installations,
    TimeProvider Clock);
