using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// Sends <c>bulk_operations/finish</c> to each subscription of a shop when one of its bulk operations completes, fails
/// or is canceled, and <c>app/uninstalled</c> when the merchant uninstalls the app, as Shopify does: the documented payload (status and
/// error code in lower case, no URL), the
/// <c>X-Shopify-*</c> headers, and the body signed with HMAC-SHA256 under the app's secret, base64 in
/// <c>X-Shopify-Hmac-Sha256</c>. A delivery that is not answered with 2xx is sent again with a growing delay, under the
/// same <c>X-Shopify-Webhook-Id</c>; what was delivered is kept beside the operations, so a restart sends nothing twice
/// (and a receiver that sees an id again can ignore it).
/// </summary>
public sealed class WebhookDeliveries(
    SandboxShopify sandbox,
    ComplianceRequests compliance,
    IOptions<SandboxOptions> options,
    IHttpClientFactory clients,
    ILogger<WebhookDeliveries> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const int MaxAttempts = 8;

    /// <summary>Shops whose webhooks are delivered at once.</summary>
    public const int ShopsAtOnce = 16;
    private static readonly TimeSpan ScanInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, bool> _delivered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (int Attempts, DateTimeOffset NextAt)> _retries = new(StringComparer.Ordinal);
    private readonly StateFile<string> _state = new(options.Value, "webhook-deliveries.jsonl");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var key in _state.ReadAll()) _delivered[key] = true;
        using var timer = new PeriodicTimer(ScanInterval, sandbox.Clock);
        do
        {
            try
            {
                await DeliverDue(stoppingToken);
                await DeliverUninstalls(stoppingToken);
                await DeliverComplianceRequests(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Webhook deliveries failed this round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Delivers the finished operations' webhooks: shops side by side (<see cref="ShopsAtOnce"/>), as Shopify's deliveries
    /// do not wait for one another's, each shop's in the order its operations finished.
    /// </summary>
    public Task DeliverDue(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(options.Value.Shops, new ParallelOptions { MaxDegreeOfParallelism = ShopsAtOnce, CancellationToken = cancellationToken },
            async (settings, token) =>
            {
                var subscriptions = sandbox.Webhooks.Of(settings.Domain, "BULK_OPERATIONS_FINISH").ToList();
                if (subscriptions.Count == 0) return;
                var admin = new ShopifyAdmin(sandbox, settings, "", "");
                foreach (var operation in sandbox.Operations.OfShop(settings.Domain))
                {
                    // Every round looks at every operation: one delivered to every subscription costs no report.
                    if (!sandbox.Operations.IsFinished(operation) || subscriptions.All(s => _delivered.ContainsKey(Key(s, operation)))) continue;
                    var report = admin.Report(operation);
                    if (report.Status is not ("COMPLETED" or "FAILED" or "CANCELED")) continue;
                    var finishedAt = report.CompletedAt ?? operation.CanceledAt ?? operation.CreatedAt;
                    foreach (var subscription in subscriptions.Where(s => s.CreatedAt <= finishedAt))
                        await Deliver(settings, subscription, report, finishedAt, token);
                }
            });

    private Task Deliver(SandboxShop settings, WebhookSubscriptionValue subscription, BulkOperationReport report, DateTimeOffset finishedAt,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["admin_graphql_api_id"] = report.Operation.Id,
            ["completed_at"] = report.CompletedAt is { } completedAt ? GraphQl.SelectionWriter.Timestamp(completedAt) : null,
            ["created_at"] = GraphQl.SelectionWriter.Timestamp(report.Operation.CreatedAt),
            ["error_code"] = report.ErrorCode?.ToLowerInvariant(),
            ["status"] = report.Status.ToLowerInvariant(),
            ["type"] = "query",
        }.ToJsonString();
        // Ids a receiver dedupes by: the same for every attempt of a delivery, never again for another operation, even one
        // that reuses a number after the Sandbox's state was cleared.
        var key = Key(subscription, report.Operation);
        return Send(settings, subscription, key, body, finishedAt, $"{key}:{report.Operation.CreatedAt.UtcTicks}",
            $"event:{report.Operation.Number}:{report.Operation.CreatedAt.UtcTicks}", report.Operation.Id, cancellationToken);
    }

    /// <summary>
    /// <c>app/uninstalled</c>: the shop, as the REST Admin API's shop resource (the payload Shopify sends), to every
    /// subscription made before the uninstall.
    /// </summary>
    public async Task DeliverUninstalls(CancellationToken cancellationToken)
    {
        foreach (var uninstall in sandbox.Installations.Uninstalls)
        {
            if (sandbox.Shops.Settings(uninstall.ShopDomain) is not { } settings) continue;
            var shop = new ShopValue(settings);
            var body = new JsonObject
            {
                ["id"] = shop.Number,
                ["name"] = shop.Name,
                ["domain"] = settings.Domain,
                ["myshopify_domain"] = settings.Domain,
                ["currency"] = settings.CurrencyCode,
                ["iana_timezone"] = settings.TimeZone,
                ["plan_display_name"] = settings.Plan,
            }.ToJsonString();
            foreach (var subscription in sandbox.Webhooks.Of(settings.Domain, "APP_UNINSTALLED").Where(s => s.CreatedAt <= uninstall.At))
            {
                var key = $"{subscription.Number}:uninstall:{uninstall.Number}";
                await Send(settings, subscription, key, body, uninstall.At, $"{key}:{uninstall.At.UtcTicks}",
                    $"uninstall:{uninstall.Number}:{uninstall.At.UtcTicks}", settings.Domain, cancellationToken);
            }
        }
    }

    private Task Send(SandboxShop settings, WebhookSubscriptionValue subscription, string key, string body, DateTimeOffset triggeredAt, string deliveryKey,
        string eventKey, string subject, CancellationToken cancellationToken) =>
        Send(settings, subscription.Uri, subscription.DeliveryTopic, subscription.ApiVersion, $"subscription {subscription.Id}", key, body, triggeredAt,
            deliveryKey, eventKey, subject, cancellationToken);

    /// <summary>
    /// The mandatory compliance webhooks (<see cref="ComplianceRequests"/>) go to the app's compliance URL, each once, with
    /// the headers and signature of every other delivery.
    /// </summary>
    public async Task DeliverComplianceRequests(CancellationToken cancellationToken)
    {
        compliance.RedactUninstalledShops(sandbox);
        if (options.Value.ShopifyApp.ComplianceUri is not { Length: > 0 } uri) return;
        foreach (var request in compliance.All)
        {
            if (sandbox.Shops.Settings(request.ShopDomain) is not { } settings) continue;
            var key = $"compliance:{request.Number}";
            await Send(settings, uri, request.Topic, options.Value.ShopifyApp.WebhooksApiVersion, "the app's compliance URL", key, request.Body, request.At,
                $"{key}:{request.At.UtcTicks}", $"{key}:event:{request.At.UtcTicks}", request.ShopDomain, cancellationToken);
        }
    }

    private async Task Send(SandboxShop settings, string uri, string topic, string apiVersion, string target, string key, string body,
        DateTimeOffset triggeredAt, string deliveryKey, string eventKey, string subject, CancellationToken cancellationToken)
    {
        if (_delivered.ContainsKey(key)) return;
        var now = sandbox.Clock.GetUtcNow();
        if (_retries.TryGetValue(key, out var retry) && (retry.NextAt > now || retry.Attempts >= MaxAttempts)) return;

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", Signature(settings.AppSecret, body));
        request.Headers.Add("X-Shopify-Shop-Domain", settings.Domain);
        request.Headers.Add("X-Shopify-API-Version", apiVersion);
        request.Headers.Add("X-Shopify-Webhook-Id", DeliveryId(deliveryKey));
        request.Headers.Add("X-Shopify-Event-Id", DeliveryId(eventKey));
        request.Headers.Add("X-Shopify-Triggered-At", triggeredAt.UtcDateTime.ToString("O"));

        var attempt = retry.Attempts + 1;
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                _delivered[key] = true;
                _retries.TryRemove(key, out _);
                _state.Append(key);
                logger.LogInformation("Delivered {Topic} of {Subject} to {Target} (attempt {Attempt})", topic, subject, target, attempt);
                return;
            }
            logger.LogWarning("Delivery of {Topic} of {Subject} answered HTTP {StatusCode} (attempt {Attempt})",
                topic, subject, (int)response.StatusCode, attempt);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Delivery of {Topic} of {Subject} failed (attempt {Attempt}): {Error}",
                topic, subject, attempt, exception.Message);
        }
        _retries[key] = (attempt, now + TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, attempt - 1))));
    }

    private static string Key(WebhookSubscriptionValue subscription, SandboxBulkOperation operation) => $"{subscription.Number}:{operation.Number}";

    /// <summary>Shopify's signature: base64 of HMAC-SHA256 of the raw body, keyed with the app's client secret.</summary>
    public static string Signature(string secret, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>A delivery's id, the same each time it is sent again.</summary>
    private static string DeliveryId(string key) => new Guid(MD5.HashData(Encoding.UTF8.GetBytes(key))).ToString();
}
