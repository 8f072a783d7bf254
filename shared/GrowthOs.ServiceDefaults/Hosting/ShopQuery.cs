using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>The shop a read is about, bound from its query the same way, with the same messages, by every read route.</summary>
public static class ShopQuery
{
    /// <summary>The shop: required, and a shop's domain; or a problem naming <c>shop</c>.</summary>
    public static ProblemHttpResult? Bind(string? shop, out string domain)
    {
        domain = "";
        if (string.IsNullOrWhiteSpace(shop)) return Problems.InvalidParameter("shop", "shop is required: the shop's name.myshopify.com domain.");
        if (ShopDomains.Validate(shop) is { } refusal) return Problems.InvalidParameter("shop", refusal);
        domain = shop.Trim();
        return null;
    }
}
