using Microsoft.AspNetCore.Http;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>
/// Who the gateway vouches for, as a service behind it reads it once the signature holds: the caller (an API key's id,
/// or a service's name), its role, the shop the gateway authorized the request for (null when the request names
/// none), and the shops the caller's key is limited to (none: every shop).
/// </summary>
public sealed record GatewayCaller(string Caller, string Role, string? Shop, IReadOnlyList<string> Shops)
{
    /// <summary>Whether the caller may act on or read <paramref name="shop"/>.</summary>
    public bool MayReach(string shop) => Shops.Count == 0 || Shops.Contains(shop.Trim(), StringComparer.OrdinalIgnoreCase);

    public static GatewayCaller? Of(HttpContext context) => context.Features.Get<GatewayCaller>();
}
