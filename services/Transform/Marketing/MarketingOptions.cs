namespace GrowthOs.Transform.Marketing;

public sealed class MarketingOptions
{
    public const string Section = "Marketing";

    /// <summary>
    /// The Meta action types that count as purchases, in order of preference: the first one a row reports is taken, for
    /// its count and its value (Meta reports overlapping types, never to be summed). <c>omni_purchase</c> is Meta's total
    /// across website, app and offline.
    /// </summary>
    public List<string> MetaPurchaseActionTypes { get; set; } = [];

    public IReadOnlyList<string> PurchaseActionTypes =>
        MetaPurchaseActionTypes.Count > 0 ? MetaPurchaseActionTypes : ["omni_purchase", "purchase", "offsite_conversion.fb_pixel_purchase"];
}
