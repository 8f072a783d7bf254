namespace GrowthOs.Contracts.Marketing;

/// <summary>The marketing sources a shop's spend and traffic come from, as messages, archive keys and the API name them.</summary>
public static class MarketingSources
{
    public const string Meta = "meta";
    public const string GoogleAds = "google_ads";
    public const string Ga4 = "ga4";

    /// <summary>E-mail: Klaviyo's flows and campaigns, what they sent and the revenue attributed to them.</summary>
    public const string Klaviyo = "klaviyo";

    public static IReadOnlyList<string> All { get; } = [Meta, GoogleAds, Ga4, Klaviyo];

    /// <summary>The ad platforms (campaign figures); GA4 gives traffic by channel group, Klaviyo e-mail.</summary>
    public static bool IsAdPlatform(string source) => source is Meta or GoogleAds;
}
