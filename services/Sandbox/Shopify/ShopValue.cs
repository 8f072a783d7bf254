using System.Globalization;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>The <c>shop</c> query's answer: the shop the token belongs to, as its settings describe it.</summary>
public sealed record ShopValue(SandboxShop Settings)
{
    /// <summary>A shop's name by default: <c>demo-shop.myshopify.com</c> is "Demo Shop".</summary>
    public string Name => Settings.Name ?? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Settings.Domain.Split('.')[0].Replace('-', ' '));

    public object? Field(string name) => name switch
    {
        "id" => $"gid://shopify/Shop/{Number}",
        "name" => Name,
        "myshopifyDomain" => Settings.Domain,
        "currencyCode" => Settings.CurrencyCode,
        "ianaTimezone" => Settings.TimeZone,
        "plan" => new ShopPlanValue(Settings.Plan),
        _ => null,
    };

    /// <summary>The shop's id: the same number for the same domain in every process (string hashes are randomised per process).</summary>
    public long Number =>
        60_000_000_000
        + BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Settings.Domain))) % 1_000_000_000;
}
