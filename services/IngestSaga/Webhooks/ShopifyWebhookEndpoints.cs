using System.Globalization;
using System.Text.Json;
using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Extraction;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Observability;
using GrowthOs.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.IngestSaga.Webhooks;

/// <summary>
/// <c>POST /api/ingest/webhooks/shopify</c>: a Shopify webhook the gateway has authenticated (its
/// <c>X-Shopify-Hmac-Sha256</c>), forwarded from <c>POST /webhooks/shopify</c>. A <c>bulk_operations/finish</c> moves
/// the run whose operation it names on at once (<see cref="BulkOperationFinishNotified"/>); an <c>app/uninstalled</c>
/// becomes <see cref="ShopUninstalled"/>, for the Connector to disconnect the shop, and Shopify's mandatory
/// <c>shop/redact</c> <see cref="ShopRedactRequested"/>, for the Connector to purge it; <c>customers/redact</c> and
/// <c>customers/data_request</c> become <see cref="CustomerRedactRequested"/> and <see cref="CustomerDataRequested"/>, for
/// the Transform, which holds the customers' rows; a delivery seen before, by
/// <c>X-Shopify-Webhook-Id</c>, is ignored. Shopify is answered 200 whenever the delivery was understood, so that it does
/// not send it again; the run never trusts the notice alone, it polls Shopify for the operation.
/// </summary>
public static class ShopifyWebhookEndpoints
{
    public const string BulkOperationsFinish = "bulk_operations/finish";
    public const string AppUninstalled = "app/uninstalled";
    public const string ShopRedact = "shop/redact";
    public const string CustomersRedact = "customers/redact";
    public const string CustomersDataRequest = "customers/data_request";
    private const int MaxBodyBytes = 64 * 1024;
    private const int RunLookups = 5;
    private static readonly TimeSpan RunLookupDelay = TimeSpan.FromMilliseconds(300);

    public static IEndpointRouteBuilder MapShopifyWebhooks(this IEndpointRouteBuilder app)
    {
        // The gateway lets Shopify in without a key, once the delivery's own signature holds.
        app.MapPost("/api/ingest/webhooks/shopify", Receive).WithMetadata(new AcceptsAnonymousGatewayCaller());
        return app;
    }

    private static async Task<Results<Ok<WebhookOutcome>, ProblemHttpResult>> Receive(HttpRequest http, NpgsqlDataSource dataSource, IPublishEndpoint bus,
        TimeProvider clock, ILogger<WebhookDelivery> logger)
    {
        var topic = http.Headers["X-Shopify-Topic"].ToString();
        var shop = http.Headers["X-Shopify-Shop-Domain"].ToString().ToLowerInvariant();
        var webhookId = http.Headers["X-Shopify-Webhook-Id"].ToString();
        if (topic.Length == 0) return Problems.InvalidParameter("X-Shopify-Topic", "The X-Shopify-Topic header is required.");
        if (shop.Length == 0) return Problems.InvalidParameter("X-Shopify-Shop-Domain", "The X-Shopify-Shop-Domain header is required.");
        if (webhookId.Length == 0) return Problems.InvalidParameter("X-Shopify-Webhook-Id", "The X-Shopify-Webhook-Id header is required.");
        if (http.ContentLength > MaxBodyBytes) return Problems.InvalidParameter("body", $"A webhook body is at most {MaxBodyBytes} bytes.");

        string? operationId = null, status = null;
        CustomerRequest? customerRequest = null;
        if (topic is CustomersRedact or CustomersDataRequest)
        {
            (customerRequest, var problem) = await CustomerRequest.Read(http, topic);
            if (problem is not null) return problem;
        }
        if (topic == BulkOperationsFinish)
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
                operationId = json.RootElement.TryGetProperty("admin_graphql_api_id", out var id) && id.ValueKind == JsonValueKind.String
                    ? id.GetString()
                    : null;
                status = json.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            }
            catch (JsonException exception)
            {
                return Problems.InvalidParameter("body", $"The body of {BulkOperationsFinish} must be JSON: {exception.Message}");
            }
            if (operationId is null)
                return Problems.InvalidParameter("admin_graphql_api_id", $"A {BulkOperationsFinish} body names its operation in admin_graphql_api_id.");
        }

        await using var connection = await dataSource.OpenConnectionAsync(http.HttpContext.RequestAborted);
        // An operation that finishes at once can be told of before its run has recorded the start's answer: the run is
        // looked for again a few times, well within the 5 s Shopify waits for an answer (the run's first poll covers the rest).
        (Guid Id, string? TraceParent)? run = null;
        for (var attempt = 0; operationId is not null && run is null && attempt < RunLookups; attempt++)
        {
            if (attempt > 0) await Task.Delay(RunLookupDelay, clock, http.HttpContext.RequestAborted);
            run = await RunOf(connection, shop, operationId, http.HttpContext.RequestAborted);
        }
        var runId = run?.Id;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ingest.webhook_delivery (webhook_id, shop_domain, topic, bulk_operation_id, run_id)
            VALUES (@id, @shop, @topic, @operation, @run)
            ON CONFLICT (webhook_id) DO NOTHING
            """, connection))
        {
            insert.Parameters.AddWithValue("id", webhookId);
            insert.Parameters.AddWithValue("shop", shop);
            insert.Parameters.AddWithValue("topic", topic);
            insert.Parameters.AddWithValue("operation", (object?)operationId ?? DBNull.Value);
            insert.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
            if (await insert.ExecuteNonQueryAsync(http.HttpContext.RequestAborted) == 0)
            {
                logger.LogInformation("Webhook {WebhookId} ({Topic}) for {ShopDomain} was delivered before; ignored", webhookId, topic, shop);
                return TypedResults.Ok(new WebhookOutcome("replayed"));
            }
        }

        var triggeredAt = DateTimeOffset.TryParse(http.Headers["X-Shopify-Triggered-At"].ToString(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at) ? at : clock.GetUtcNow();
        // Handed on to the service that acts on it; a delivery the broker could not take is forgotten (below).
        try
        {
            if (topic == AppUninstalled)
            {
                // The Connector owns the shop's connection and its token: it disconnects the one and destroys the other.
                await bus.Publish(new ShopUninstalled(shop, webhookId, triggeredAt), http.HttpContext.RequestAborted);
                logger.LogInformation("Shopify reports that {ShopDomain} uninstalled the app (webhook {WebhookId})", shop, webhookId);
                return TypedResults.Ok(new WebhookOutcome("accepted"));
            }
            if (customerRequest is { } asked)
            {
                // The Transform holds the customer's rows: it unlinks and removes them, or reports them to the archive. The
                // messages carry ids only, never the e-mail address or phone the webhook names the customer by.
                if (topic == CustomersRedact)
                    await bus.Publish(new CustomerRedactRequested(shop, asked.CustomerId, asked.OrderIds, webhookId, triggeredAt),
                        http.HttpContext.RequestAborted);
                else
                    await bus.Publish(
                        new CustomerDataRequested(shop, asked.CustomerId, asked.OrderIds, asked.DataRequestId ?? webhookId, webhookId, triggeredAt),
                        http.HttpContext.RequestAborted);
                logger.LogInformation("Shopify's {Topic} for customer {CustomerId} of {ShopDomain} (webhook {WebhookId}, {Orders} orders named)", topic,
                    asked.CustomerId, shop, webhookId, asked.OrderIds.Count);
                return TypedResults.Ok(new WebhookOutcome("accepted"));
            }
            if (topic == ShopRedact)
            {
                // The Connector owns the shop's purge: every service removes the shop's rows and archived objects.
                await bus.Publish(new ShopRedactRequested(shop, webhookId, triggeredAt), http.HttpContext.RequestAborted);
                logger.LogInformation("Shopify asks that everything held of {ShopDomain} be removed (webhook {WebhookId})", shop, webhookId);
                return TypedResults.Ok(new WebhookOutcome("accepted"));
            }
            if (run is not { } found)
            {
                logger.LogInformation("Webhook {WebhookId} ({Topic}) for {ShopDomain} names no running sync; nothing to do", webhookId, topic, shop);
                return TypedResults.Ok(new WebhookOutcome("no_run"));
            }
            // The notice belongs to the run's trace, as its durable waits' wake-ups do, not to the delivery's request.
            using (GrowthOsTelemetry.ContinueTrace("bulk operation finish notified", found.TraceParent))
            using (logger.BeginScope(new Dictionary<string, object> { ["RunId"] = found.Id, ["ShopDomain"] = shop }))
            {
                await bus.Publish(new BulkOperationFinishNotified(found.Id, shop, operationId!, status ?? "", clock.GetUtcNow()),
                    http.HttpContext.RequestAborted);
                logger.LogInformation("Shopify reports bulk operation {BulkOperationId} {Status}; the run polls it now", operationId, status);
            }
            return TypedResults.Ok(new WebhookOutcome("accepted", found.Id));
        }
        catch (Exception) when (!http.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Not handed on (the broker is down): the delivery is forgotten, so that Shopify's next attempt is not taken for a replay.
            await using var forget = new NpgsqlCommand("DELETE FROM ingest.webhook_delivery WHERE webhook_id = @id", connection);
            forget.Parameters.AddWithValue("id", webhookId);
            await forget.ExecuteNonQueryAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>The run polling the operation, or else the newest that knew it (an id once seen by a run that ended stays in its row).</summary>
    private static async Task<(Guid Id, string? TraceParent)?> RunOf(NpgsqlConnection connection, string shop, string operationId,
        CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            """
            SELECT correlation_id, trace_parent FROM ingest.bulk_sync_state WHERE bulk_operation_id = @operation AND shop_domain = @shop
            ORDER BY current_state = 'Polling' DESC, requested_at DESC LIMIT 1
            """, connection);
        select.Parameters.AddWithValue("operation", operationId);
        select.Parameters.AddWithValue("shop", shop);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>The category of this endpoint's log lines.</summary>
    public sealed class WebhookDelivery;

    /// <summary>What a <c>customers/redact</c> or <c>customers/data_request</c> asks about: the customer and the orders it names.</summary>
    private sealed record CustomerRequest(long CustomerId, IReadOnlyList<long> OrderIds, string? DataRequestId)
    {
        public static async Task<(CustomerRequest? Request, ProblemHttpResult? Problem)> Read(HttpRequest http, string topic)
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("customer", out var customer) || customer.ValueKind != JsonValueKind.Object
                    || !customer.TryGetProperty("id", out var id) || !Number(id, out var customerId))
                    return (null, Problems.InvalidParameter("customer.id", $"A {topic} body names its customer in customer.id, a number."));
                var ordersField = topic == CustomersRedact ? "orders_to_redact" : "orders_requested";
                var orders = new List<long>();
                if (root.TryGetProperty(ordersField, out var listed) && listed.ValueKind == JsonValueKind.Array)
                    foreach (var order in listed.EnumerateArray())
                    {
                        if (!Number(order, out var orderId)) return (null, Problems.InvalidParameter(ordersField, $"{ordersField} holds order ids, numbers."));
                        orders.Add(orderId);
                    }
                string? dataRequest = root.TryGetProperty("data_request", out var request) && request.ValueKind == JsonValueKind.Object
                    && request.TryGetProperty("id", out var requestId) && Number(requestId, out var number)
                        ? number.ToString(CultureInfo.InvariantCulture)
                        : null;
                return (new CustomerRequest(customerId, orders, dataRequest), null);
            }
            catch (JsonException exception)
            {
                return (null, Problems.InvalidParameter("body", $"The body of {topic} must be JSON: {exception.Message}"));
            }
        }

        /// <summary>A Shopify id: a JSON number, or a string of digits as some tools replay it.</summary>
        private static bool Number(JsonElement value, out long number)
        {
            number = 0;
            return value.ValueKind switch
            {
                JsonValueKind.Number => value.TryGetInt64(out number) && number > 0,
                JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0,
                _ => false,
            };
        }
    }
}
