using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>How far the load of one archived file in one run has committed, and what it counted so far.</summary>
public sealed class UpsertProgress(Guid runId, string archiveKey, int chunkSize)
{
    public Guid RunId { get; } = runId;
    public string ArchiveKey { get; } = archiveKey;
    public int ChunkSize { get; set; } = chunkSize;
    public long LinesCommitted { get; set; }
    public long Orders { get; set; }
    public long LineItems { get; set; }
    public long Rejected { get; set; }
    public DateTimeOffset? MaxUpdatedAt { get; set; }
    public DateOnly? FirstOrderDate { get; set; }
    public DateOnly? LastOrderDate { get; set; }

    /// <summary>Every record upserted (rejected lines aside), whatever its type.</summary>
    public long Records { get; set; }

    /// <summary>Bytes of the file through the last line committed.</summary>
    public long BytesRead { get; set; }

    /// <summary>The file's size in bytes, when the store told it.</summary>
    public long? FileBytes { get; set; }

    /// <summary>Counts a parsed line. The newest <c>updatedAt</c> is taken from root records (orders, products, inventory items, customers).</summary>
    public void Count(BulkLineParser.Result result)
    {
        switch (result)
        {
            case BulkLineParser.Rejected:
                Rejected++;
                return;
            case BulkLineParser.Order { Record: var order }:
                Orders++;
                Newest(order.UpdatedAt);
                // The dates the marts must refresh: the order's own, and each of its refunds' (counted on their own date).
                Touch(DateOnly.FromDateTime(order.CreatedAt.UtcDateTime));
                foreach (var refund in order.Refunds) Touch(DateOnly.FromDateTime(refund.CreatedAt.UtcDateTime));
                break;
            case BulkLineParser.LineItem:
                LineItems++;
                break;
            case BulkLineParser.Product { Record: var product }:
                Newest(product.UpdatedAt);
                break;
            case BulkLineParser.InventoryItem { Record.UpdatedAt: { } updatedAt }:
                Newest(updatedAt);
                break;
            case BulkLineParser.Customer { Record: var customer }:
                Newest(customer.UpdatedAt);
                break;
        }
        Records++;
    }

    private void Touch(DateOnly date)
    {
        if (FirstOrderDate is null || date < FirstOrderDate) FirstOrderDate = date;
        if (LastOrderDate is null || date > LastOrderDate) LastOrderDate = date;
    }

    private void Newest(DateTimeOffset updatedAt)
    {
        if (MaxUpdatedAt is null || updatedAt > MaxUpdatedAt) MaxUpdatedAt = updatedAt;
    }

    public UpsertProgress Copy() => (UpsertProgress)MemberwiseClone();

    public static async Task<UpsertProgress?> Find(NpgsqlDataSource dataSource, Guid runId, string archiveKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT chunk_size, lines_committed, orders, line_items, rejected, max_updated_at, first_order_date, last_order_date, records,
                bytes_read, file_bytes
            FROM transform.upsert_progress WHERE run_id = @run AND archive_key = @key
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("key", archiveKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new UpsertProgress(runId, archiveKey, reader.GetInt32(0))
        {
            LinesCommitted = reader.GetInt64(1),
            Orders = reader.GetInt64(2),
            LineItems = reader.GetInt64(3),
            Rejected = reader.GetInt64(4),
            MaxUpdatedAt = reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
            FirstOrderDate = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6),
            LastOrderDate = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7),
            Records = reader.GetInt64(8),
            BytesRead = reader.GetInt64(9),
            FileBytes = reader.IsDBNull(10) ? null : reader.GetInt64(10),
        };
    }

    /// <summary>Records this progress in the chunk's own transaction, so committed rows and progress never disagree.</summary>
    public async Task Save(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO transform.upsert_progress AS p (run_id, archive_key, chunk_size, lines_committed, orders, line_items, rejected,
                max_updated_at, first_order_date, last_order_date, records, bytes_read, file_bytes, updated_at)
            VALUES (@run, @key, @size, @lines, @orders, @items, @rejected, @max, @first, @last, @records, @bytes, @fileBytes, now())
            ON CONFLICT (run_id, archive_key) DO UPDATE SET chunk_size = EXCLUDED.chunk_size, lines_committed = EXCLUDED.lines_committed,
                orders = EXCLUDED.orders, line_items = EXCLUDED.line_items, rejected = EXCLUDED.rejected, max_updated_at = EXCLUDED.max_updated_at,
                first_order_date = EXCLUDED.first_order_date, last_order_date = EXCLUDED.last_order_date, records = EXCLUDED.records,
                bytes_read = EXCLUDED.bytes_read, file_bytes = EXCLUDED.file_bytes, updated_at = now()
            """, connection, transaction);
        command.Parameters.AddWithValue("run", RunId);
        command.Parameters.AddWithValue("key", ArchiveKey);
        command.Parameters.AddWithValue("size", ChunkSize);
        command.Parameters.AddWithValue("lines", LinesCommitted);
        command.Parameters.AddWithValue("orders", Orders);
        command.Parameters.AddWithValue("items", LineItems);
        command.Parameters.AddWithValue("rejected", Rejected);
        command.Parameters.AddWithValue("max", (object?)MaxUpdatedAt?.UtcDateTime ?? DBNull.Value);
        command.Parameters.AddWithValue("first", (object?)FirstOrderDate ?? DBNull.Value);
        command.Parameters.AddWithValue("last", (object?)LastOrderDate ?? DBNull.Value);
        command.Parameters.AddWithValue("records", Records);
        command.Parameters.AddWithValue("bytes", BytesRead);
        command.Parameters.AddWithValue("fileBytes", (object?)FileBytes ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task SetChunkSize(NpgsqlDataSource dataSource, Guid runId, string archiveKey, int chunkSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transform.upsert_progress (run_id, archive_key, chunk_size, lines_committed, orders, line_items, rejected, updated_at)
            VALUES (@run, @key, @size, 0, 0, 0, 0, now())
            ON CONFLICT (run_id, archive_key) DO UPDATE SET chunk_size = EXCLUDED.chunk_size, updated_at = now()
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("key", archiveKey);
        command.Parameters.AddWithValue("size", chunkSize);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            // The database is still failing; the next attempt keeps the chunk size it has.
        }
    }
}
