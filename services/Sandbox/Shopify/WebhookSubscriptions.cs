using System.Collections.Concurrent;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify.GraphQl;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// The shops' webhook subscriptions (<c>webhookSubscriptionCreate</c>), kept like bulk operations so that a restart
/// keeps them. Addresses are checked as Shopify checks them: HTTPS only (plain HTTP only where
/// <see cref="SandboxOptions.AllowHttpWebhooks"/> allows it, for a local system), one subscription per topic and address.
/// </summary>
public sealed class WebhookSubscriptions
{
    private static readonly IReadOnlyList<string> AddressField = ["webhookSubscription", "callbackUrl"];

    private readonly ConcurrentDictionary<long, WebhookSubscriptionValue> _subscriptions = new();
    private readonly Lock _lock = new();
    private readonly IOptions<SandboxOptions> _options;
    private readonly TimeProvider _clock;
    private readonly StateFile<WebhookSubscriptionValue> _state;
    private long _lastNumber = 1_900_000;

    public WebhookSubscriptions(IOptions<SandboxOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        _state = new StateFile<WebhookSubscriptionValue>(options.Value, "webhook-subscriptions.jsonl");
        foreach (var saved in _state.ReadAll())
        {
            _subscriptions[saved.Number] = saved;
            _lastNumber = Math.Max(_lastNumber, saved.Number);
        }
    }

    public IEnumerable<WebhookSubscriptionValue> Of(string shop, string topic) =>
        _subscriptions.Values.Where(s => string.Equals(s.ShopDomain, shop, StringComparison.OrdinalIgnoreCase) && s.Topic == topic).OrderBy(s => s.Number);

    public MutationPayload Create(string shop, string version, Arguments arguments)
    {
        var topic = arguments.String("topic") ?? "";
        var input = arguments.Node("webhookSubscription") as System.Text.Json.Nodes.JsonObject;
        var address = input?["uri"]?.GetValue<string>() ?? input?["callbackUrl"]?.GetValue<string>();
        var format = input?["format"]?.GetValue<string>() ?? "JSON";
        if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate(address, UriKind.Absolute, out var uri))
            return MutationPayload.Refused(new UserErrorValue(AddressField, "Address is invalid"));
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && _options.Value.AllowHttpWebhooks))
            return MutationPayload.Refused(new UserErrorValue(AddressField, $"Address protocol {uri.Scheme}:// is not supported"));
        if (format != "JSON")
            return MutationPayload.Refused(new UserErrorValue(["webhookSubscription", "format"], "Format is not supported for this topic"));

        lock (_lock)
        {
            if (Of(shop, topic).Any(s => s.Uri == address))
                return MutationPayload.Refused(new UserErrorValue(AddressField, "Address for this topic has already been taken"));
            var subscription = new WebhookSubscriptionValue(++_lastNumber, shop, topic, address, format, version, _clock.GetUtcNow());
            _subscriptions[subscription.Number] = subscription;
            _state.Append(subscription);
            return new MutationPayload(subscription, []);
        }
    }
}
