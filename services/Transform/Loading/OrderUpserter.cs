using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Loads one chunk of records in one transaction: binary COPY into temporary staging tables, then one set-based
/// <c>INSERT ... ON CONFLICT DO UPDATE</c> per table; orders new to the table skip the staging (see
/// <see cref="TryInsertNewOrders"/>). Within and across chunks the latest <c>updatedAt</c> of a record
/// wins, so replaying a file, or the same window twice, changes nothing. Orders and their lines have their own
/// hand-written COPY, the hottest path; the other types go through <see cref="StagedTable{T}"/>.
/// </summary>
public sealed class OrderUpserter(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Upserts the chunk and commits it with the load's progress, once <paramref name="before"/> (the upsert of the chunk
    /// before it, which may run at the same time) has committed; if that one fails, this one is rolled back.
    /// <paramref name="shopHadOrders"/> says whether the shop had orders in the table when its load began.
    /// </summary>
    public async Task Upsert(string shop, Guid runId, RecordChunk chunk, UpsertProgress progress, bool shopHadOrders, Task before,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The chunk may hold its rows while it waits, outside the database, for the one before it to commit. Should that
        // one wait on a third transaction waiting on this chunk's rows (two loads of one shop at once), PostgreSQL would
        // not see the cycle: a lock timeout breaks it, and the load fails and is retried rather than hanging.
        DateTimeOffset began;
        await using (var begin = new NpgsqlCommand(
            $"SELECT set_config('lock_timeout', '{LockTimeoutSeconds}s', true), clock_timestamp()", connection, transaction))
        await using (var reader = await begin.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            began = reader.GetFieldValue<DateTimeOffset>(1);
        }

        if (!await TryInsertNewOrders(connection, transaction, shop, runId, chunk, shopHadOrders, began, cancellationToken))
            await UpsertOrders(connection, shop, runId, chunk, cancellationToken);
        await CommerceTables.Products.Upsert(connection, shop, runId, chunk.Products, cancellationToken);
        if (chunk.Variants.Count > 0)
            await CommerceTables.Variants(await ShopCurrency.Find(connection, shop, cancellationToken))
                .Upsert(connection, shop, runId, chunk.Variants, cancellationToken);
        await CommerceTables.InventoryItems.Upsert(connection, shop, runId, chunk.InventoryItems, cancellationToken);
        await CommerceTables.InventoryLevels.Upsert(connection, shop, runId, chunk.InventoryLevels, cancellationToken);
        await CommerceTables.Customers.Upsert(connection, shop, runId, chunk.Customers, cancellationToken);

        foreach (var rejected in chunk.Rejected)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO transform.rejected_record (run_id, line_number, record_type, external_id, reason)
                VALUES (@run, @line, @type, @id, @reason) ON CONFLICT (run_id, line_number) DO NOTHING
                """, connection, transaction);
            command.Parameters.AddWithValue("run", runId);
            command.Parameters.AddWithValue("line", rejected.LineNumber);
            command.Parameters.AddWithValue("type", (object?)rejected.RecordType ?? DBNull.Value);
            command.Parameters.AddWithValue("id", (object?)rejected.ExternalId ?? DBNull.Value);
            command.Parameters.AddWithValue("reason", rejected.Reason);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await before;
        await progress.Save(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The general path: orders and lines are COPYed into staging tables, then upserted set-based with version checks,
    /// and each order version that is new to the table gets its event, saying what changed against the version before.
    /// </summary>
    private static async Task UpsertOrders(NpgsqlConnection connection, string shop, Guid runId, RecordChunk chunk, CancellationToken cancellationToken)
    {
        await Execute(connection, """
            CREATE TEMP TABLE stage_order (LIKE transform.order_header) ON COMMIT DROP;
            CREATE TEMP TABLE stage_line_item (LIKE transform.order_line_item) ON COMMIT DROP;
            """, cancellationToken);

        await OrderCopy.Orders(connection, "stage_order", shop, runId, chunk.Orders, cancellationToken);
        await OrderCopy.LineItems(connection, "stage_line_item", shop, runId, chunk.LineItems, cancellationToken);

        // One statement, so one snapshot: `prior` is what the table knew of these orders before this chunk, and the events
        // say what each upserted version changed. The prior versions are looked up by key (an index probe per order),
        // never by scanning the shop's orders. An order version's event id is derived from the version, so a version
        // upserted by two runs at once is still one event.
        await Execute(connection, """
            WITH prior AS (
                SELECT order_id, updated_at, cancelled_at, fulfillment_status, total_refunded_minor FROM transform.order_header
                WHERE shop_domain = @shop AND order_id = ANY ((SELECT array_agg(order_id) FROM stage_order)::bigint[])
            ), upserted AS (
                INSERT INTO transform.order_header AS target
                SELECT DISTINCT ON (shop_domain, order_id) * FROM stage_order ORDER BY shop_domain, order_id, updated_at DESC
                ON CONFLICT (shop_domain, order_id) DO UPDATE SET
                    name = EXCLUDED.name, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                    processed_at = EXCLUDED.processed_at, cancelled_at = EXCLUDED.cancelled_at, is_test = EXCLUDED.is_test,
                    source_name = EXCLUDED.source_name, financial_status = EXCLUDED.financial_status,
                    fulfillment_status = EXCLUDED.fulfillment_status, currency_code = EXCLUDED.currency_code,
                    presentment_currency_code = EXCLUDED.presentment_currency_code, customer_id = EXCLUDED.customer_id,
                    subtotal_minor = EXCLUDED.subtotal_minor, total_minor = EXCLUDED.total_minor,
                    total_discounts_minor = EXCLUDED.total_discounts_minor, total_tax_minor = EXCLUDED.total_tax_minor,
                    total_shipping_minor = EXCLUDED.total_shipping_minor, total_refunded_minor = EXCLUDED.total_refunded_minor,
                    total_presentment_minor = EXCLUDED.total_presentment_minor, payment_fees_minor = EXCLUDED.payment_fees_minor,
                    discount_codes = EXCLUDED.discount_codes, source_run_id = EXCLUDED.source_run_id, loaded_at = now()
                WHERE target.updated_at <= EXCLUDED.updated_at
                RETURNING target.*
            )
            INSERT INTO transform.commerce_event_outbox (event_id, run_id, shop_domain, order_id, order_name, updated_at, changes, currency_code,
                total_minor, refunded_minor, financial_status, fulfillment_status)
            SELECT transform.order_event_id(n.shop_domain, n.order_id, n.updated_at),
                   n.source_run_id, n.shop_domain, n.order_id, n.name, n.updated_at,
                   array_remove(ARRAY[
                       CASE WHEN p.order_id IS NULL THEN 'created' ELSE 'updated' END,
                       CASE WHEN n.fulfillment_status = 'FULFILLED' AND p.fulfillment_status IS DISTINCT FROM 'FULFILLED' THEN 'fulfilled' END,
                       CASE WHEN n.total_refunded_minor > COALESCE(p.total_refunded_minor, 0) THEN 'refunded' END,
                       CASE WHEN n.cancelled_at IS NOT NULL AND p.cancelled_at IS NULL THEN 'cancelled' END], NULL),
                   n.currency_code, n.total_minor, n.total_refunded_minor, n.financial_status, n.fulfillment_status
            FROM upserted n LEFT JOIN prior p USING (order_id)
            WHERE p.order_id IS NULL OR n.updated_at > p.updated_at
            ON CONFLICT (event_id) DO NOTHING;

            INSERT INTO transform.order_line_item AS target
            SELECT DISTINCT ON (shop_domain, order_id, line_item_id) * FROM stage_line_item
            ON CONFLICT (shop_domain, order_id, line_item_id) DO UPDATE SET
                sku = EXCLUDED.sku, title = EXCLUDED.title, quantity = EXCLUDED.quantity,
                current_quantity = EXCLUDED.current_quantity, unit_price_minor = EXCLUDED.unit_price_minor,
                total_discount_minor = EXCLUDED.total_discount_minor, currency_code = EXCLUDED.currency_code,
                product_id = EXCLUDED.product_id, variant_id = EXCLUDED.variant_id, vendor = EXCLUDED.vendor,
                source_run_id = EXCLUDED.source_run_id;
            """, cancellationToken, shop);

        await CommerceTables.Refunds.Upsert(connection, shop, runId, chunk.RefundsOfOrders(), cancellationToken);
        await CommerceTables.Fulfillments.Upsert(connection, shop, runId, chunk.FulfillmentsOfOrders(), cancellationToken);
    }

    /// <summary>
    /// The path of a first load or a backfill: orders new to the table have no version to compare and no prior state to
    /// report. The chunk's orders, lines, refunds and fulfillments are COPYed straight into their tables, and each order's
    /// event (created, and whatever its first version already says: fulfilled, refunded, cancelled) straight into the
    /// outbox, with the id the general path would give it, stamped <paramref name="began"/> (the time the chunk's
    /// transaction began: a later version of the order meets this one's row, so its event is stamped later; a stamp
    /// supplied rather than a volatile default also lets PostgreSQL insert the rows in batches). The keys decide: an order
    /// that is known after all, or one that the chunk holds twice, undoes the attempt, and the chunk takes the general
    /// path. When the shop had orders as its load began, a sample of the chunk's ids is looked up first, and a chunk
    /// that meets a known order goes straight to the general path. Returns whether the chunk was loaded.
    /// </summary>
    private static async Task<bool> TryInsertNewOrders(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop, Guid runId, RecordChunk chunk,
        bool shopHadOrders, DateTimeOffset began, CancellationToken cancellationToken)
    {
        if (chunk.Orders.Count == 0) return false;
        // Not for a shop that had no orders: the statistics cannot know it yet, and the planner, taking it for a shop of
        // one row, would look each id up by scanning the shop's rows in the created_at index, once per id.
        if (shopHadOrders)
        {
            await using var known = new NpgsqlCommand(
                """
                SELECT EXISTS (SELECT 1 FROM unnest(@ids) AS id,
                               LATERAL (SELECT 1 FROM transform.order_header WHERE shop_domain = @shop AND order_id = id LIMIT 1) AS known)
                """, connection, transaction);
            known.Parameters.AddWithValue("shop", shop);
            known.Parameters.AddWithValue("ids", Sample(chunk.Orders));
            if ((bool)(await known.ExecuteScalarAsync(cancellationToken))!) return false;
        }
        // In key order, each index takes the rows in runs on the same pages rather than one page each.
        chunk.Orders.Sort(static (a, b) => a.OrderId.CompareTo(b.OrderId));
        chunk.LineItems.Sort(static (a, b) => a.OrderId != b.OrderId ? a.OrderId.CompareTo(b.OrderId) : a.LineItemId.CompareTo(b.LineItemId));
        await transaction.SaveAsync(NewOrders, cancellationToken);
        try
        {
            await OrderCopy.Orders(connection, "transform.order_header", shop, runId, chunk.Orders, cancellationToken);
            await OrderCopy.CreatedEvents(connection, shop, runId, chunk.Orders, began, cancellationToken);
            await OrderCopy.LineItems(connection, "transform.order_line_item", shop, runId, chunk.LineItems, cancellationToken);
            await CommerceTables.Refunds.Copy(connection, CommerceTables.Refunds.Table, shop, runId, chunk.RefundsOfOrders(), cancellationToken);
            await CommerceTables.Fulfillments.Copy(connection, CommerceTables.Fulfillments.Table, shop, runId, chunk.FulfillmentsOfOrders(), cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(NewOrders, cancellationToken);
            return false;
        }
        await transaction.ReleaseAsync(NewOrders, cancellationToken);
        return true;
    }

    private const string NewOrders = "new_orders";

    /// <summary>How long a chunk waits for a row lock before it fails; far longer than any chunk holds one.</summary>
    public const int LockTimeoutSeconds = 120;

    /// <summary>The ids of up to <see cref="SampleSize"/> orders spread evenly over the chunk.</summary>
    private static long[] Sample(IReadOnlyList<OrderRecord> orders)
    {
        var step = Math.Max(1, orders.Count / SampleSize);
        var ids = new long[(orders.Count + step - 1) / step];
        for (var i = 0; i < ids.Length; i++) ids[i] = orders[i * step].OrderId;
        return ids;
    }

    private const int SampleSize = 256;

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, string? shop = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (shop is not null) command.Parameters.AddWithValue("shop", shop);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
