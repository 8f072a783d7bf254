using System.Text;
using GrowthOs.Transform.Commerce;
using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// The hand-written binary COPY of orders, their line items and their first events: the hottest path of a load, so its
/// columns are written one by one rather than through <see cref="StagedTable{T}"/>.
/// </summary>
public static class OrderCopy
{
    /// <summary>
    /// Each order's first event (created, and what its first version already says), with the id the general path would
    /// give it, stamped <paramref name="began"/>.
    /// </summary>
    public static async Task CreatedEvents(NpgsqlConnection connection, string shop, Guid runId, IReadOnlyList<OrderRecord> orders, DateTimeOffset began,
        CancellationToken cancellationToken)
    {
        await using var writer = await BinaryCopyWriter.Begin(connection, """
            COPY transform.commerce_event_outbox (event_id, run_id, shop_domain, order_id, order_name, updated_at, changes, currency_code, total_minor,
                refunded_minor, financial_status, fulfillment_status, created_at) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        var shopText = Encoding.UTF8.GetBytes(shop);
        foreach (var o in orders)
        {
            await writer.StartRow(13);
            writer.Uuid(OrderEvents.IdOf(shopText, o.OrderId, o.UpdatedAt));
            writer.Uuid(runId);
            writer.Text(shopText);
            writer.Bigint(o.OrderId);
            writer.Text(o.Name);
            writer.Timestamp(o.UpdatedAt);
            writer.TextArray(OrderEvents.ChangesOfFirstVersion(o));
            writer.Text(o.CurrencyCode);
            writer.Bigint(o.TotalMinor);
            writer.Bigint(o.TotalRefundedMinor);
            writer.Text(o.FinancialStatus);
            writer.Text(o.FulfillmentStatus);
            writer.Timestamp(began);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Orders into <paramref name="into"/> (their table, or its staging table).</summary>
    public static async Task Orders(NpgsqlConnection connection, string into, string shop, Guid runId, IReadOnlyList<OrderRecord> orders,
        CancellationToken cancellationToken)
    {
        await using var writer = await BinaryCopyWriter.Begin(connection, $"""
            COPY {into} (shop_domain, order_id, name, created_at, updated_at, processed_at, cancelled_at, is_test, source_name,
                financial_status, fulfillment_status, currency_code, presentment_currency_code, customer_id, subtotal_minor, total_minor,
                total_discounts_minor, total_tax_minor, total_shipping_minor, total_refunded_minor, total_presentment_minor,
                source_run_id, loaded_at, payment_fees_minor, discount_codes) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        var shopText = Encoding.UTF8.GetBytes(shop);
        var now = DateTimeOffset.UtcNow;
        foreach (var o in orders)
        {
            await writer.StartRow(25);
            writer.Text(shopText);
            writer.Bigint(o.OrderId);
            writer.Text(o.Name);
            writer.Timestamp(o.CreatedAt);
            writer.Timestamp(o.UpdatedAt);
            writer.Timestamp(o.ProcessedAt);
            writer.Timestamp(o.CancelledAt);
            writer.Boolean(o.IsTest);
            writer.Text(o.SourceName);
            writer.Text(o.FinancialStatus);
            writer.Text(o.FulfillmentStatus);
            writer.Text(o.CurrencyCode);
            writer.Text(o.PresentmentCurrencyCode);
            writer.Bigint(o.CustomerId);
            writer.Bigint(o.SubtotalMinor);
            writer.Bigint(o.TotalMinor);
            writer.Bigint(o.TotalDiscountsMinor);
            writer.Bigint(o.TotalTaxMinor);
            writer.Bigint(o.TotalShippingMinor);
            writer.Bigint(o.TotalRefundedMinor);
            writer.Bigint(o.TotalPresentmentMinor);
            writer.Uuid(runId);
            writer.Timestamp(now);
            writer.Bigint(o.PaymentFeesMinor);
            writer.TextArray(o.DiscountCodes);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>Line items into <paramref name="into"/> (their table, or its staging table).</summary>
    public static async Task LineItems(NpgsqlConnection connection, string into, string shop, Guid runId, IReadOnlyList<LineItemRecord> lines,
        CancellationToken cancellationToken)
    {
        await using var writer = await BinaryCopyWriter.Begin(connection, $"""
            COPY {into} (shop_domain, line_item_id, order_id, sku, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, product_id, variant_id, vendor, source_run_id) FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        var shopText = Encoding.UTF8.GetBytes(shop);
        foreach (var l in lines)
        {
            await writer.StartRow(14);
            writer.Text(shopText);
            writer.Bigint(l.LineItemId);
            writer.Bigint(l.OrderId);
            writer.Text(l.Sku);
            writer.Text(l.Title);
            writer.Integer(l.Quantity);
            writer.Integer(l.CurrentQuantity);
            writer.Bigint(l.UnitPriceMinor);
            writer.Bigint(l.TotalDiscountMinor);
            writer.Text(l.CurrencyCode);
            writer.Bigint(l.ProductId);
            writer.Bigint(l.VariantId);
            writer.Text(l.Vendor);
            writer.Uuid(runId);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
