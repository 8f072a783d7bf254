using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Whether each demo shop has the app installed. A merchant's uninstall (<c>POST /sandbox/shops/{shop}/uninstall</c>,
/// the Sandbox's stand-in for the button in Shopify's admin) revokes the shop's token, as Shopify does: every Admin API
/// call with it is then refused with Shopify's 401, and its <c>app/uninstalled</c> webhook goes to the shop's
/// subscriptions. Installing again (the authorization code grant) gives the shop its token back. Kept across restarts.
/// </summary>
public sealed class AppInstallations
{
    private readonly ConcurrentDictionary<string, AppUninstall> _uninstalled = new(StringComparer.OrdinalIgnoreCase);
    private readonly StateFile<AppUninstall> _state;
    private readonly TimeProvider _clock;
    private long _lastNumber;

    public AppInstallations(IOptions<SandboxOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _state = new StateFile<AppUninstall>(options.Value, "app-uninstalls.jsonl");
        foreach (var uninstall in _state.ReadAll())
        {
            // A line with number 0 is a reinstall.
            if (uninstall.Number == 0) _uninstalled.TryRemove(uninstall.ShopDomain, out _);
            else _uninstalled[uninstall.ShopDomain] = uninstall;
            _lastNumber = Math.Max(_lastNumber, uninstall.Number);
        }
    }

    public bool IsUninstalled(string shop) => _uninstalled.ContainsKey(shop);

    public IEnumerable<AppUninstall> Uninstalls => _uninstalled.Values;

    public AppUninstall Uninstall(SandboxShop shop)
    {
        var uninstall = _uninstalled.GetOrAdd(shop.Domain, domain => new AppUninstall(Interlocked.Increment(ref _lastNumber), domain, _clock.GetUtcNow()));
        _state.Append(uninstall);
        return uninstall;
    }

    public void Reinstall(SandboxShop shop)
    {
        if (_uninstalled.TryRemove(shop.Domain, out _)) _state.Append(new AppUninstall(0, shop.Domain, _clock.GetUtcNow()));
    }

    public static IEndpointRouteBuilder MapAppInstallations(IEndpointRouteBuilder app)
    {
        app.MapPost("/sandbox/shops/{shop}/uninstall", (string shop, DemoShops shops, AppInstallations installations) =>
            shops.Settings(shop) is { } settings
                ? Results.Json(new { shop = settings.Domain, uninstalled_at = installations.Uninstall(settings).At })
                : Results.Json(new { errors = "Not Found" }, statusCode: 404));
        return app;
    }
}
