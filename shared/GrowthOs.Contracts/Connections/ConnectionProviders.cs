namespace GrowthOs.Contracts.Connections;

/// <summary>The providers a connection reaches: the shop itself, and the accounts its marketing comes from.</summary>
public static class ConnectionProviders
{
    public const string Shopify = "shopify";
    public const string Meta = "meta";
    public const string GoogleAds = "google_ads";
    public const string Ga4 = "ga4";
    public const string Klaviyo = "klaviyo";

    public static IReadOnlyList<string> All { get; } = [Shopify, Meta, GoogleAds, Ga4, Klaviyo];
}
