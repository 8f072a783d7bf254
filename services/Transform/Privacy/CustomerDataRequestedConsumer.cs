using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Npgsql;

namespace GrowthOs.Transform.Privacy;

/// <summary>
/// Shopify's <c>customers/data_request</c>: everything the Transform holds on the customer (its row, its segment, its
/// orders and the orders the request names, with their lines, refunds and fulfillments) is written to the archive as one
/// JSON document, <c>compliance/{shop}/customers/{customer}/data-request-{id}.json</c>, for the merchant to give the
/// customer; <see cref="CustomerDataReported"/> names it, and the gateway's audit log keeps that it was answered. Holds
/// no e-mail address: the Transform never had one, only its SHA-256.
/// </summary>
public sealed class CustomerDataRequestedConsumer(NpgsqlDataSource dataSource, ObjectStore store, TimeProvider clock,
    ILogger<CustomerDataRequestedConsumer> logger) : IConsumer<CustomerDataRequested>
{
    private const string Orders =
        "(SELECT order_id FROM transform.order_header WHERE shop_domain = @shop AND (customer_id = @customer OR order_id = ANY(@orders)))";

    private static readonly (string Name, string Sql)[] Parts =
    [
        ("customer", """
            SELECT customer_id, created_at, updated_at, number_of_orders, amount_spent_minor, currency_code, state, email_sha256
            FROM transform.customer WHERE shop_domain = @shop AND customer_id = @customer
            """),
        ("segments", """
            SELECT as_of_date, orders, spent_minor, currency_code, aov_minor, first_order_at, last_order_at, segment, lifecycle_stage
            FROM transform.customer_segments WHERE shop_domain = @shop AND customer_id = @customer
            """),
        ("orders", $"""
            SELECT order_id, name, created_at, processed_at, cancelled_at, source_name, financial_status, fulfillment_status, currency_code,
                subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor, total_refunded_minor, customer_id
            FROM transform.order_header WHERE shop_domain = @shop AND order_id IN {Orders} ORDER BY created_at
            """),
        ("line_items", $"""
            SELECT line_item_id, order_id, sku, title, quantity, current_quantity, unit_price_minor, total_discount_minor, currency_code, product_id, variant_id
            FROM transform.order_line_item WHERE shop_domain = @shop AND order_id IN {Orders} ORDER BY order_id, line_item_id
            """),
        ("refunds", $"""
            SELECT refund_id, order_id, created_at, amount_minor, currency_code
            FROM transform.order_refund WHERE shop_domain = @shop AND order_id IN {Orders} ORDER BY order_id, refund_id
            """),
        ("fulfillments", $"""
            SELECT fulfillment_id, order_id, status, created_at
            FROM transform.order_fulfillment WHERE shop_domain = @shop AND order_id IN {Orders} ORDER BY order_id, fulfillment_id
            """),
    ];

    public async Task Consume(ConsumeContext<CustomerDataRequested> context)
    {
        var message = context.Message;
        var report = new JsonObject
        {
            ["shop"] = message.ShopDomain,
            ["customer_id"] = message.CustomerId,
            ["data_request_id"] = message.DataRequestId,
            ["orders_requested"] = new JsonArray([.. message.OrderIds.Select(id => JsonValue.Create(id))]),
            ["reported_at"] = clock.GetUtcNow().ToString("O"),
        };
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = await dataSource.OpenConnectionAsync(context.CancellationToken))
            foreach (var (name, sql) in Parts)
            {
                await using var command = new NpgsqlCommand($"SELECT coalesce(json_agg(t), '[]'::json)::text FROM ({sql}) t", connection);
                command.Parameters.AddWithValue("shop", message.ShopDomain);
                command.Parameters.AddWithValue("customer", message.CustomerId);
                command.Parameters.AddWithValue("orders", message.OrderIds.ToArray());
                var rows = JsonNode.Parse((string)(await command.ExecuteScalarAsync(context.CancellationToken))!)!.AsArray();
                report[name] = rows;
                held[name] = rows.Count;
            }
        var key = KeyFor(message);
        await store.PutText(key, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), "application/json", context.CancellationToken);
        logger.LogInformation("Data request {DataRequestId} for customer {CustomerId} of {ShopDomain} answered in {ArchiveKey}: {Held}", message.DataRequestId,
            message.CustomerId, message.ShopDomain, key, string.Join(", ", held.Select(h => $"{h.Key} {h.Value}")));
        await context.PublishWithin(new CustomerDataReported(message.ShopDomain, message.CustomerId, message.DataRequestId, message.WebhookId, key, held,
            clock.GetUtcNow()));
    }

    public static string KeyFor(CustomerDataRequested message) =>
        $"{FolderOf(message.ShopDomain, message.CustomerId)}data-request-{Safe(message.DataRequestId)}.json";

    /// <summary>Where the answers to a customer's data requests are archived.</summary>
    public static string FolderOf(string shop, long customerId) => $"compliance/{shop}/customers/{customerId}/";

    /// <summary>A data request's id as it may stand in a key: its letters, digits, dashes and underscores.</summary>
    private static string Safe(string id) => new([.. id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(64)]);
}
