using System.Text.RegularExpressions;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>A shop is named by its <c>*.myshopify.com</c> domain, trimmed and lower-cased wherever it is compared.</summary>
public static partial class ShopDomains
{
    public static string Normalize(string shop) => shop.Trim().ToLowerInvariant();

    /// <summary>Why <paramref name="shop"/> is not a shop's domain, or null when it is one.</summary>
    public static string? Validate(string shop) =>
        Domain().IsMatch(Normalize(shop)) ? null : $"'{Shorten(shop)}' is not a shop domain (name.myshopify.com).";

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}\\.myshopify\\.com$")]
    private static partial Regex Domain();
}
