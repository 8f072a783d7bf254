namespace GrowthOs.Sandbox.Shopify;

/// <summary>A shop's uninstall of the app, numbered: its <c>app/uninstalled</c> webhook is delivered once per subscription.</summary>
public sealed record AppUninstall(long Number, string ShopDomain, DateTimeOffset At);
