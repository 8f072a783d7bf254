using System.Globalization;
using System.Text;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>GET /orders</c> and <c>GET /orders/{id}</c> (with its lines, refunds and fulfillments): the upserted orders as
/// stored, money in minor units, times in UTC. The list pages by keyset: each page answers <c>next_after</c>, the
/// position after its last order, which the next request passes as <c>after</c>, so any page is read by the index
/// and costs the same. <c>page</c> numbers reach the first <see cref="MaxOffset"/> orders only.
/// </summary>
public static class OrdersEndpoints
{
    public const int MaxPageSize = 200;

    /// <summary>The deepest a numbered page reaches; further on, <c>after</c>.</summary>
    public const int MaxOffset = 10_000;

    /// <summary>Status filters: a financial or fulfilment status as Shopify displays it, or <c>cancelled</c>, <c>test</c>.</summary>
    public static readonly IReadOnlyList<string> Statuses =
    [
        "cancelled", "test", "paid", "pending", "authorized", "partially_paid", "partially_refunded", "refunded", "voided",
        "fulfilled", "unfulfilled", "partially_fulfilled",
    ];

    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapGet("/orders", List);
        app.MapGet("/orders/{id}", Get);
        return app;
    }

    private static async Task<Results<Ok<OrderPage>, ProblemHttpResult>> List(HttpRequest http, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        var query = http.Query;
        if (!QueryValues.TryDate(query["from"], out var from)) return Problems.InvalidParameter("from", "from must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(query["to"], out var to)) return Problems.InvalidParameter("to", "to must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (from is not null && to is not null && from > to) return Problems.InvalidParameter("from", "from must not be after to.");
        if (!QueryValues.TryInt(query["page"], 1, int.MaxValue, out var page))
            return Problems.InvalidParameter("page", "page must be a whole number of 1 or more.");
        if (!QueryValues.TryInt(query["pageSize"], 1, MaxPageSize, out var pageSize))
            return Problems.InvalidParameter("pageSize", $"pageSize must be between 1 and {MaxPageSize}.");
        string? status = query["status"];
        if (status is not null && !Statuses.Contains(status.ToLowerInvariant()))
            return Problems.InvalidParameter("status", $"status must be one of {string.Join(", ", Statuses)}.");
        string? shop = query["shop"];
        if (!OrderCursor.TryParse(query["after"], out var after))
            return Problems.InvalidParameter("after", "after must be the next_after of an earlier page of the same list.");
        if (after is not null && page is not null) return Problems.InvalidParameter("page", "give page or after, not both.");
        var size = pageSize ?? 50;
        var number = page ?? 1;
        if ((long)(number - 1) * size > MaxOffset)
            return Problems.InvalidParameter("page", $"page reaches past the first {MaxOffset:N0} orders; follow next_after instead.");

        // The list and its total filter alike: the list reads the orders, the total their counts by day and state
        // (transform.order_count_daily, kept with the orders), a few hundred rows whatever the shop's size.
        var where = new StringBuilder("WHERE true");
        var counted = new StringBuilder("WHERE true");
        void Filter(string onOrders, string onCounts)
        {
            where.Append(" AND ").Append(onOrders);
            counted.Append(" AND ").Append(onCounts);
        }
        var parameters = new List<NpgsqlParameter>();
        if (!string.IsNullOrWhiteSpace(shop))
        {
            Filter("shop_domain = @shop", "shop_domain = @shop");
            parameters.Add(new("shop", shop));
        }
        if (from is { } f)
        {
            Filter("created_at >= (@from::date::timestamp AT TIME ZONE 'UTC')", "created_on >= @from::date");
            parameters.Add(new("from", f));
        }
        if (to is { } t)
        {
            Filter("created_at < ((@to::date + 1)::timestamp AT TIME ZONE 'UTC')", "created_on <= @to::date");
            parameters.Add(new("to", t));
        }
        switch (status?.ToLowerInvariant())
        {
            case null: break;
            case "cancelled": Filter("cancelled_at IS NOT NULL", "cancelled"); break;
            case "test": Filter("is_test", "is_test"); break;
            default:
                Filter("(lower(financial_status) = @status OR lower(fulfillment_status) = @status)",
                    "(financial_status = @status OR fulfillment_status = @status)");
                parameters.Add(new("status", status.ToLowerInvariant()));
                break;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The total is counted for a list's first request only: a page read by its keyset costs nothing more.
        long? total = null;
        if (after is null)
        {
            await using var count = new NpgsqlCommand($"SELECT coalesce(sum(orders), 0)::bigint FROM transform.order_count_daily {counted}", connection);
            count.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        if (after is { } position)
        {
            where.Append(" AND (created_at, shop_domain, order_id) < (@after_at, @after_shop, @after_id)");
            parameters.Add(new("after_at", position.CreatedAt));
            parameters.Add(new("after_shop", position.Shop));
            parameters.Add(new("after_id", position.OrderId));
        }
        await using var select = new NpgsqlCommand($"""
            SELECT {OrderColumns} FROM transform.order_header {where}
            ORDER BY created_at DESC, shop_domain DESC, order_id DESC LIMIT @limit OFFSET @offset
            """, connection);
        select.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        select.Parameters.AddWithValue("limit", size);
        select.Parameters.AddWithValue("offset", after is null ? (long)(number - 1) * size : 0L);
        var items = new List<OrderSummary>();
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) items.Add(ReadOrder(reader));
        var next = items.Count == size && items[^1] is var last ? OrderCursor.Of(last.CreatedAt, last.ShopDomain, last.OrderId) : null;
        return TypedResults.Ok(new OrderPage(items, after is null ? number : null, size, total, next));
    }

    private static async Task<Results<Ok<OrderDetail>, ProblemHttpResult>> Get(string id, string? shop, NpgsqlDataSource dataSource,
        CancellationToken cancellationToken)
    {
        id = Uri.UnescapeDataString(id); // a GID's slashes arrive encoded (%2F), which routing leaves as they are
        var raw = id.StartsWith("gid://shopify/Order/", StringComparison.Ordinal) ? id["gid://shopify/Order/".Length..] : id;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var orderId))
            return Problems.InvalidParameter("id", "id must be a numeric order id or an Order GID (gid://shopify/Order/123).");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var orders = new List<OrderSummary>();
        await using (var select = new NpgsqlCommand($"""
            SELECT {OrderColumns} FROM transform.order_header WHERE order_id = @id AND (@shop::text IS NULL OR shop_domain = @shop)
            """, connection))
        {
            select.Parameters.AddWithValue("id", orderId);
            select.Parameters.Add(new NpgsqlParameter("shop", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)shop ?? DBNull.Value });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) orders.Add(ReadOrder(reader));
        }
        if (orders.Count == 0)
            return TypedResults.Problem(statusCode: 404, title: "Order not found", detail: $"No order {orderId}{(shop is null ? "" : $" in {shop}")}.");
        if (orders.Count > 1) return Problems.InvalidParameter("shop", $"Order {orderId} exists in several shops; name the shop.");

        var order = orders[0];
        var lines = await Children(connection, """
            SELECT line_item_id, sku, title, quantity, current_quantity, unit_price_minor, total_discount_minor, currency_code, product_id, variant_id, vendor
            FROM transform.order_line_item WHERE shop_domain = @shop AND order_id = @id ORDER BY line_item_id
            """, order, reader => new OrderDetailLine(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7), NullableInt64(reader, 8),
                NullableInt64(reader, 9), reader.IsDBNull(10) ? null : reader.GetString(10)), cancellationToken);
        var refunds = await Children(connection, """
            SELECT refund_id, created_at, amount_minor, currency_code FROM transform.order_refund
            WHERE shop_domain = @shop AND order_id = @id ORDER BY created_at, refund_id
            """, order, reader => new OrderDetailRefund(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetString(3)),
            cancellationToken);
        var fulfillments = await Children(connection, """
            SELECT fulfillment_id, status, created_at FROM transform.order_fulfillment
            WHERE shop_domain = @shop AND order_id = @id ORDER BY created_at, fulfillment_id
            """, order, reader => new OrderDetailFulfillment(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2)), cancellationToken);
        return TypedResults.Ok(new OrderDetail(order, lines, refunds, fulfillments));
    }

    private static async Task<List<T>> Children<T>(NpgsqlConnection connection, string sql, OrderSummary order, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var select = new NpgsqlCommand(sql, connection);
        select.Parameters.AddWithValue("shop", order.ShopDomain);
        select.Parameters.AddWithValue("id", order.OrderId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(read(reader));
        return rows;
    }

    private const string OrderColumns = """
        shop_domain, order_id, name, created_at, updated_at, processed_at, cancelled_at, is_test, source_name, financial_status,
        fulfillment_status, currency_code, presentment_currency_code, customer_id, subtotal_minor, total_minor, total_discounts_minor,
        total_tax_minor, total_shipping_minor, total_refunded_minor, total_presentment_minor
        """;

    private static OrderSummary ReadOrder(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        NullableTime(reader, 5),
        NullableTime(reader, 6),
        reader.GetBoolean(7),
        NullableText(reader, 8),
        NullableText(reader, 9),
        NullableText(reader, 10),
        reader.GetString(11),
        reader.GetString(12),
        NullableInt64(reader, 13),
        reader.GetInt64(14),
        reader.GetInt64(15),
        reader.GetInt64(16),
        reader.GetInt64(17),
        reader.GetInt64(18),
        reader.GetInt64(19),
        reader.GetInt64(20));

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableInt64(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
