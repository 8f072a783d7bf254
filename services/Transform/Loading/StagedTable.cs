using System.Text;
using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// A column of a staged table: its name and how a record's value is written to a binary COPY. The constructor taken by
/// the value's type picks the PostgreSQL type (bigint, integer, text, timestamptz), so a value is written unboxed.
/// </summary>
public sealed class StagedColumn<T>
{
    public string Name { get; }
    public Action<BinaryCopyWriter, T> Write { get; }

    private StagedColumn(string name, Action<BinaryCopyWriter, T> write) => (Name, Write) = (name, write);

    public StagedColumn(string name, Func<T, long> value) : this(name, (w, r) => w.Bigint(value(r))) { }
    public StagedColumn(string name, Func<T, long?> value) : this(name, (w, r) => w.Bigint(value(r))) { }
    public StagedColumn(string name, Func<T, int> value) : this(name, (w, r) => w.Integer(value(r))) { }
    public StagedColumn(string name, Func<T, int?> value) : this(name, (w, r) => w.Integer(value(r))) { }
    public StagedColumn(string name, Func<T, string?> value) : this(name, (w, r) => w.Text(value(r))) { }
    public StagedColumn(string name, Func<T, DateTimeOffset> value) : this(name, (w, r) => w.Timestamp(value(r))) { }
    public StagedColumn(string name, Func<T, DateTimeOffset?> value) : this(name, (w, r) => w.Timestamp(value(r))) { }
}

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

    public string Table { get; } = "transform." + table;

    public async Task Upsert(NpgsqlConnection connection, string shop, Guid runId, IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS {_stage} (LIKE transform.{table}) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);

        await Copy(connection, _stage, shop, runId, records, cancellationToken);

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

    /// <summary>Binary COPY of the records, with the shop and the run, into <paramref name="into"/>: the staging table, or the table itself for rows known to be new.</summary>
    public async Task Copy(NpgsqlConnection connection, string into, string shop, Guid runId, IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        await using var writer = await BinaryCopyWriter.Begin(connection, $"COPY {into} ({_columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        var shopText = Encoding.UTF8.GetBytes(shop);
        var width = (short)(columns.Length + 2);
        foreach (var record in records)
        {
            await writer.StartRow(width);
            writer.Text(shopText);
            foreach (var column in columns) column.Write(writer, record);
            writer.Uuid(runId);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}

/// <summary>The staged tables of every record type besides orders and their lines.</summary>
public static class CommerceTables
{
    public static readonly StagedTable<RefundRecord> Refunds = new("order_refund", ["order_id", "refund_id"], "order_updated_at",
        new("order_id", r => r.OrderId),
        new("refund_id", r => r.RefundId),
        new("created_at", r => r.CreatedAt),
        new("amount_minor", r => r.AmountMinor),
        new("currency_code", r => r.CurrencyCode),
        new("order_updated_at", r => r.OrderUpdatedAt));

    public static readonly StagedTable<FulfillmentRecord> Fulfillments = new("order_fulfillment", ["order_id", "fulfillment_id"], "order_updated_at",
        new("order_id", f => f.OrderId),
        new("fulfillment_id", f => f.FulfillmentId),
        new("status", f => f.Status),
        new("created_at", f => f.CreatedAt),
        new("order_updated_at", f => f.OrderUpdatedAt));

    public static readonly StagedTable<ProductRecord> Products = new("product", ["product_id"], "updated_at",
        new("product_id", p => p.ProductId),
        new("title", p => p.Title),
        new("vendor", p => p.Vendor),
        new("product_type", p => p.ProductType),
        new("status", p => p.Status),
        new("created_at", p => p.CreatedAt),
        new("updated_at", p => p.UpdatedAt));

    public static StagedTable<VariantRecord> Variants(string? currency) => new("product_variant", ["variant_id"], "updated_at",
        new("variant_id", v => v.VariantId),
        new("product_id", v => v.ProductId),
        new("sku", v => v.Sku),
        new("title", v => v.Title),
        new("price", v => v.Price),
        new("price_minor", v => currency is not null && Money.TryToMinorUnits(v.Price, currency, out var minor) ? minor : null),
        new("currency_code", v => currency is not null && v.Price is not null ? currency : null),
        new("inventory_quantity", v => v.InventoryQuantity),
        new("inventory_item_id", v => v.InventoryItemId),
        new("updated_at", v => v.UpdatedAt));

    public static readonly StagedTable<InventoryItemRecord> InventoryItems = new("inventory_item", ["inventory_item_id"], "updated_at",
        new("inventory_item_id", i => i.InventoryItemId),
        new("variant_id", i => i.VariantId),
        new("sku", i => i.Sku),
        new("updated_at", i => i.UpdatedAt));

    public static readonly StagedTable<InventoryLevelRecord> InventoryLevels = new("inventory_level", ["inventory_item_id", "location_id"], "updated_at",
        new("inventory_item_id", l => l.InventoryItemId),
        new("location_id", l => l.LocationId),
        new("available", l => l.Available),
        new("updated_at", l => l.UpdatedAt));

    public static readonly StagedTable<CustomerRecord> Customers = new("customer", ["customer_id"], "updated_at",
        new("customer_id", c => c.CustomerId),
        new("created_at", c => c.CreatedAt),
        new("updated_at", c => c.UpdatedAt),
        new("number_of_orders", c => c.NumberOfOrders),
        new("amount_spent_minor", c => c.AmountSpentMinor),
        new("currency_code", c => c.CurrencyCode),
        new("state", c => c.State),
        new("email_sha256", c => c.EmailSha256));
}
