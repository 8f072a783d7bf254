using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Shopify's mandatory compliance webhooks, sent to the URL the app declares for them
/// (<c>Sandbox:ShopifyApp:ComplianceUri</c>, as an app's <c>compliance_topics</c>), not to subscriptions:
/// <list type="bullet">
/// <item><c>shop/redact</c>, <see cref="ShopifyAppSandboxOptions.ShopRedactAfterSeconds"/> after the shop uninstalled the
/// app (48 hours at Shopify), or at once with <c>POST /sandbox/shops/{shop}/redact</c> (the Sandbox's stand-in for the
/// time passing; refused while the app is installed, as Shopify sends it only after an uninstall);</item>
/// <item><c>customers/redact</c> and <c>customers/data_request</c>, when the merchant asks on a customer's behalf:
/// <c>POST /sandbox/shops/{shop}/customers/{id}/redact</c> and <c>…/data_request</c>, with the customer's id, e-mail and
/// phone and the ids of its orders (<c>orders_to_redact</c>, <c>orders_requested</c>).</item>
/// </list>
/// The payloads are the ones shopify.dev documents (Privacy law compliance). Kept across restarts.
/// </summary>
public sealed class ComplianceRequests
{
    public const string ShopRedact = "shop/redact";
    public const string CustomersRedact = "customers/redact";
    public const string CustomersDataRequest = "customers/data_request";

    private readonly ConcurrentDictionary<long, ComplianceRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _shopRedacts = new(StringComparer.OrdinalIgnoreCase);
    private readonly StateFile<ComplianceRequest> _state;
    private readonly TimeProvider _clock;
    private readonly ShopifyAppSandboxOptions _app;
    private long _lastNumber;

    public ComplianceRequests(IOptions<SandboxOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _app = options.Value.ShopifyApp;
        _state = new StateFile<ComplianceRequest>(options.Value, "compliance-requests.jsonl");
        foreach (var request in _state.ReadAll()) Keep(request);
    }

    public IEnumerable<ComplianceRequest> All => _requests.Values.OrderBy(r => r.Number);

    /// <summary>Asks for <c>shop/redact</c> of each uninstall whose wait is over (once per uninstall).</summary>
    public void RedactUninstalledShops(SandboxShopify sandbox, bool now = false, string? onlyShop = null)
    {
        foreach (var uninstall in sandbox.Installations.Uninstalls)
        {
            if (onlyShop is not null && !string.Equals(uninstall.ShopDomain, onlyShop, StringComparison.OrdinalIgnoreCase)) continue;
            if (!now && _clock.GetUtcNow() < uninstall.At.AddSeconds(_app.ShopRedactAfterSeconds)) continue;
            if (sandbox.Shops.Settings(uninstall.ShopDomain) is not { } settings
                || !_shopRedacts.TryAdd(RedactKey(uninstall.ShopDomain, uninstall.Number), true)) continue;
            var body = new JsonObject { ["shop_id"] = new ShopValue(settings).Number, ["shop_domain"] = settings.Domain };
            Add(ShopRedact, settings.Domain, body, uninstall.Number);
        }
    }

    public ComplianceRequest? ForCustomer(SandboxShopify sandbox, SandboxShop settings, long customerId, string topic)
    {
        var shop = sandbox.Shops.Get(settings);
        if (shop.Customers.FirstOrDefault(c => c.Id == customerId) is not { } customer) return null;
        var orders = new JsonArray([.. shop.Orders().Where(o => o.CustomerId == customerId).Select(o => JsonValue.Create(o.Id))]);
        var body = new JsonObject
        {
            ["shop_id"] = new ShopValue(settings).Number,
            ["shop_domain"] = settings.Domain,
            [topic == CustomersRedact ? "orders_to_redact" : "orders_requested"] = orders,
            ["customer"] = new JsonObject { ["id"] = customer.Id, ["email"] = customer.Email, ["phone"] = null },
        };
        if (topic == CustomersDataRequest) body["data_request"] = new JsonObject { ["id"] = Interlocked.Read(ref _lastNumber) + 1 };
        return Add(topic, settings.Domain, body, null);
    }

    private ComplianceRequest Add(string topic, string shop, JsonObject body, long? uninstall)
    {
        var request = new ComplianceRequest(Interlocked.Increment(ref _lastNumber), topic, shop, _clock.GetUtcNow(), body.ToJsonString(), uninstall);
        Keep(request);
        _state.Append(request);
        return request;
    }

    private void Keep(ComplianceRequest request)
    {
        if (request.Uninstall is { } uninstall) _shopRedacts[RedactKey(request.ShopDomain, uninstall)] = true;
        _requests[request.Number] = request;
        _lastNumber = Math.Max(_lastNumber, request.Number);
    }

    private static string RedactKey(string shop, long uninstall) => $"{shop}:{uninstall}";

    public static IEndpointRouteBuilder MapComplianceRequests(IEndpointRouteBuilder app)
    {
        app.MapPost("/sandbox/shops/{shop}/redact", (string shop, SandboxShopify sandbox, ComplianceRequests requests) =>
        {
            if (sandbox.Shops.Settings(shop) is not { } settings) return NotFound();
            if (!sandbox.Installations.IsUninstalled(settings.Domain))
                return Results.Json(new { errors = "shop/redact is sent only after the shop uninstalled the app" }, statusCode: 409);
            requests.RedactUninstalledShops(sandbox, now: true, onlyShop: settings.Domain);
            return Results.Json(new { shop = settings.Domain, topic = ShopRedact });
        });
        app.MapPost("/sandbox/shops/{shop}/customers/{id:long}/{action:regex(^(redact|data_request)$)}",
            (string shop, long id, string action, SandboxShopify sandbox, ComplianceRequests requests) =>
            {
                if (sandbox.Shops.Settings(shop) is not { } settings) return NotFound();
                var topic = action == "redact" ? CustomersRedact : CustomersDataRequest;
                return requests.ForCustomer(sandbox, settings, id, topic) is { } request
                    ? Results.Json(new { shop = settings.Domain, topic, number = request.Number })
                    : NotFound();
            });
        return app;
    }

    private static IResult NotFound() => Results.Json(new { errors = "Not Found" }, statusCode: 404);
}
