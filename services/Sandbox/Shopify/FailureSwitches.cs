using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>The failures each shop is set to answer with (<see cref="SandboxShop.Failures"/>), counted down per shop.</summary>
public sealed class FailureSwitches
{
    public const string OperationInProgress = "OPERATION_IN_PROGRESS";
    public const string Throttled = "THROTTLED";
    public const string Http503 = "HTTP_503";
    public const string AccessDenied = "ACCESS_DENIED";
    public const string FailedPartial = "FAILED_PARTIAL";
    public const string Expired = "EXPIRED";

    private readonly ConcurrentDictionary<(string Shop, string Mode), int> _remaining = new();

    /// <summary>True when this request of <paramref name="shop"/> should fail as <paramref name="mode"/>; a counted failure is used up.</summary>
    public bool Trip(SandboxShop shop, string mode) => Trip(shop.Domain, shop.Failures, mode);

    /// <summary>The same for any owner of failures (a shop, an ad account): <c>MODE</c> always, <c>MODE:n</c> the first n times.</summary>
    public bool Trip(string owner, IEnumerable<string> failures, string mode)
    {
        foreach (var failure in failures)
        {
            var parts = failure.Split(':', 2);
            if (!string.Equals(parts[0], mode, StringComparison.OrdinalIgnoreCase)) continue;
            if (parts.Length == 1) return true;
            var limit = int.Parse(parts[1]);
            var used = _remaining.AddOrUpdate((owner, mode), 1, (_, n) => n + 1);
            return used <= limit;
        }
        return false;
    }

    /// <summary>The number a failure is set with (<c>MODE:n</c>), or null when it is not set.</summary>
    public static int? Setting(IEnumerable<string> failures, string mode) =>
        failures.Select(f => f.Split(':', 2)).Where(p => string.Equals(p[0], mode, StringComparison.OrdinalIgnoreCase) && p.Length == 2)
            .Select(p => (int?)int.Parse(p[1])).FirstOrDefault();

    /// <summary>
    /// The scope this shop's token lacks for a bulk query of <paramref name="root"/>, or null: <c>ACCESS_DENIED</c> denies
    /// every root, <c>ACCESS_DENIED:customers</c> only that one.
    /// </summary>
    public static string? DeniedScope(SandboxShop shop, string? root)
    {
        if (root is null) return null;
        var denied = shop.Failures.Select(f => f.Split(':', 2)).Where(p => string.Equals(p[0], AccessDenied, StringComparison.OrdinalIgnoreCase));
        return denied.Any(p => p.Length == 1 || string.Equals(p[1], root, StringComparison.OrdinalIgnoreCase)) ? ScopeOf(root) : null;
    }

    private static string ScopeOf(string root) => root switch
    {
        "inventoryItems" => "read_inventory",
        _ => $"read_{root.ToLowerInvariant()}",
    };

    public static bool Has(SandboxShop shop, string mode) => Has(shop.Failures, mode);

    /// <summary>Whether <paramref name="failures"/> (of a shop, of an ad account) set <paramref name="mode"/>, counted or not.</summary>
    public static bool Has(IEnumerable<string> failures, string mode) =>
        failures.Any(f => string.Equals(f.Split(':', 2)[0], mode, StringComparison.OrdinalIgnoreCase));
}
