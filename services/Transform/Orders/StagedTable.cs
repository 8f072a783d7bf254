using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.Transform.Orders;

/// <summary>A column of a staged table: its name, its PostgreSQL type and how a record gives its value.</summary>
public sealed record StagedColumn<T>(string Name, NpgsqlDbType Type, Func<T, object?> Value);

/// <summary>
/// Loads records of one type into <c>transform.{table}</c> the set-based way: binary COPY into a temporary table like
/// the target, then one <c>INSERT ... ON CONFLICT DO UPDATE</c>. Every row also gets the shop and the run. When
/// <paramref name="version"/> names a timestamp column, the newest version of a row wins, within the chunk and against
/// the table, so replaying an older file changes nothing.
/// </summary>
public sealed class StagedTable<T>(string table, string[] keys, string? version, params StagedColumn<T>[] columns)
{
    private readonly string _stage = "stage_" + table;
    private readonly string _columns = string.Join(", ", ["shop_domain", .. columns.Select(c => c.Name), "source_run_id"]);

    public async Task Upsert(NpgsqlConnection connection, string shop, Guid runId, IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS {_stage} (LIKE transform.{table}) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);

        await using (var writer = await connection.BeginBinaryImportAsync($"COPY {_stage} ({_columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var record in records)
            {
                writer.StartRow();
                writer.Write(shop, NpgsqlDbType.Text);
                foreach (var column in columns)
                {
                    if (column.Value(record) is { } value) writer.Write(value, column.Type);
                    else writer.WriteNull();
                }
                writer.Write(runId, NpgsqlDbType.Uuid);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        var key = string.Join(", ", ["shop_domain", .. keys]);
        var updates = string.Join(", ", columns.Where(c => !keys.Contains(c.Name)).Select(c => $"{c.Name} = EXCLUDED.{c.Name}").Append("source_run_id = EXCLUDED.source_run_id"));
        var newest = version is null ? "" : $" ORDER BY {key}, {version} DESC NULLS LAST";
        var newer = version is null ? "" : $" WHERE target.{version} IS NULL OR target.{version} <= EXCLUDED.{version}";
        await using var upsert = new NpgsqlCommand($"""
            INSERT INTO transform.{table} AS target ({_columns})
            SELECT DISTINCT ON ({key}) {_columns} FROM {_stage}{newest}
            ON CONFLICT ({key}) DO UPDATE SET {updates}{newer};
            TRUNCATE {_stage};
            """, connection);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>The staged tables of every record type besides orders and their lines.</summary>
public static class CommerceTables
{
    public static readonly StagedTable<RefundRecord> Refunds = new("order_refund", ["refund_id"], "order_updated_at",
        new("refund_id", NpgsqlDbType.Bigint, r => r.RefundId),
        new("order_id", NpgsqlDbType.Bigint, r => r.OrderId),
        new("created_at", NpgsqlDbType.TimestampTz, r => r.CreatedAt.UtcDateTime),
        new("amount_minor", NpgsqlDbType.Bigint, r => r.AmountMinor),
        new("currency_code", NpgsqlDbType.Text, r => r.CurrencyCode),
        new("order_updated_at", NpgsqlDbType.TimestampTz, r => r.OrderUpdatedAt.UtcDateTime));

    public static readonly StagedTable<FulfillmentRecord> Fulfillments = new("order_fulfillment", ["fulfillment_id"], "order_updated_at",
        new("fulfillment_id", NpgsqlDbType.Bigint, f => f.FulfillmentId),
        new("order_id", NpgsqlDbType.Bigint, f => f.OrderId),
        new("status", NpgsqlDbType.Text, f => f.Status),
        new("created_at", NpgsqlDbType.TimestampTz, f => f.CreatedAt.UtcDateTime),
        new("order_updated_at", NpgsqlDbType.TimestampTz, f => f.OrderUpdatedAt.UtcDateTime));

    public static readonly StagedTable<ProductRecord> Products = new("product", ["product_id"], "updated_at",
        new("product_id", NpgsqlDbType.Bigint, p => p.ProductId),
        new("title", NpgsqlDbType.Text, p => p.Title),
        new("vendor", NpgsqlDbType.Text, p => p.Vendor),
        new("product_type", NpgsqlDbType.Text, p => p.ProductType),
        new("status", NpgsqlDbType.Text, p => p.Status),
        new("created_at", NpgsqlDbType.TimestampTz, p => p.CreatedAt?.UtcDateTime),
        new("updated_at", NpgsqlDbType.TimestampTz, p => p.UpdatedAt.UtcDateTime));

    public static StagedTable<VariantRecord> Variants(string? currency) => new("product_variant", ["variant_id"], "updated_at",
        new("variant_id", NpgsqlDbType.Bigint, v => v.VariantId),
        new("product_id", NpgsqlDbType.Bigint, v => v.ProductId),
        new("sku", NpgsqlDbType.Text, v => v.Sku),
        new("title", NpgsqlDbType.Text, v => v.Title),
        new("price", NpgsqlDbType.Text, v => v.Price),
        new("price_minor", NpgsqlDbType.Bigint, v => currency is not null && Money.TryToMinorUnits(v.Price, currency, out var minor) ? minor : null),
        new("currency_code", NpgsqlDbType.Text, v => currency is not null && v.Price is not null ? currency : null),
        new("inventory_quantity", NpgsqlDbType.Integer, v => v.InventoryQuantity),
        new("inventory_item_id", NpgsqlDbType.Bigint, v => v.InventoryItemId),
        new("updated_at", NpgsqlDbType.TimestampTz, v => v.UpdatedAt?.UtcDateTime));

    public static readonly StagedTable<InventoryItemRecord> InventoryItems = new("inventory_item", ["inventory_item_id"], "updated_at",
        new("inventory_item_id", NpgsqlDbType.Bigint, i => i.InventoryItemId),
        new("variant_id", NpgsqlDbType.Bigint, i => i.VariantId),
        new("sku", NpgsqlDbType.Text, i => i.Sku),
        new("updated_at", NpgsqlDbType.TimestampTz, i => i.UpdatedAt?.UtcDateTime));

    public static readonly StagedTable<InventoryLevelRecord> InventoryLevels = new("inventory_level", ["inventory_item_id", "location_id"], "updated_at",
        new("inventory_item_id", NpgsqlDbType.Bigint, l => l.InventoryItemId),
        new("location_id", NpgsqlDbType.Bigint, l => l.LocationId),
        new("available", NpgsqlDbType.Integer, l => l.Available),
        new("updated_at", NpgsqlDbType.TimestampTz, l => l.UpdatedAt?.UtcDateTime));

    public static readonly StagedTable<CustomerRecord> Customers = new("customer", ["customer_id"], "updated_at",
        new("customer_id", NpgsqlDbType.Bigint, c => c.CustomerId),
        new("created_at", NpgsqlDbType.TimestampTz, c => c.CreatedAt.UtcDateTime),
        new("updated_at", NpgsqlDbType.TimestampTz, c => c.UpdatedAt.UtcDateTime),
        new("number_of_orders", NpgsqlDbType.Bigint, c => c.NumberOfOrders),
        new("amount_spent_minor", NpgsqlDbType.Bigint, c => c.AmountSpentMinor),
        new("currency_code", NpgsqlDbType.Text, c => c.CurrencyCode),
        new("state", NpgsqlDbType.Text, c => c.State),
        new("email_sha256", NpgsqlDbType.Text, c => c.EmailSha256));
}
