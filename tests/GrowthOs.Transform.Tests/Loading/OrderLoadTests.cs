using System.Text;
using GrowthOs.Testing;
using GrowthOs.Transform.Api;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Tests;

/// <summary>Loading bulk files into the real PostgreSQL that deploy/local/infra.sh starts.</summary>
public sealed class OrderLoadTests : IAsyncLifetime
{
    private const string Shop = "load-test.myshopify.com";
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        (_database, _dataSource) = await TransformDatabase.Create("growthos_transform");
    }

    private BulkFileLoader Loader(int? chunkSize = null) => TransformDatabase.Loader(_dataSource, chunkSize);

    /// <summary>A bulk file of <paramref name="count"/> orders numbered from <paramref name="first"/>, each like the fixture's order 1002.</summary>
    private static Stream OrdersNumbered(int first, int count)
    {
        var order = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"))[2];
        var orders = Enumerable.Range(first, count).Select(i => order.Replace("Order/1002", $"Order/{i}").Replace("#1002", $"#{i}"));
        return new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', orders)));
    }

    private static Stream Fixture() => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));

    [Fact]
    public async Task Children_that_arrive_before_their_parent_are_joined_to_it()
    {
        var summary = await Loader(chunkSize: 1).Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);

        Assert.Equal((3L, 2L, 1L, 6L), (summary.Orders, summary.LineItems, summary.Rejected, summary.Lines));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.order_line_item l JOIN transform.order_header o USING (shop_domain, order_id)"));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 11, 0, 0, TimeSpan.Zero), summary.MaxUpdatedAt);
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)), (summary.FirstOrderDate!.Value, summary.LastOrderDate!.Value));
    }

    [Fact]
    public async Task Products_inventory_customers_refunds_and_fulfillments_are_loaded_once_however_often_the_file_is()
    {
        Stream Catalog() => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "catalog_inventory_customers.jsonl"));
        var summary = await Loader(chunkSize: 3).Load(Catalog(), Shop, Guid.NewGuid(), "catalog", CancellationToken.None);
        await Loader().Load(Catalog(), Shop, Guid.NewGuid(), "catalog-again", CancellationToken.None);

        Assert.Equal((8L, 0L, 1L), (summary.Records, summary.Rejected, summary.Orders));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.product"));
        Assert.Equal(1250L, await Scalar("SELECT price_minor FROM transform.product_variant WHERE currency_code = 'USD'"));
        Assert.Equal(9L, await Scalar("SELECT sum(available) FROM transform.inventory_level WHERE inventory_item_id = 30322695"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.customer WHERE email_sha256 ~ '^[0-9a-f]{64}$'"));
        Assert.Equal(1080L, await Scalar("SELECT sum(amount_minor) FROM transform.order_refund WHERE order_id = 1010"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_fulfillment WHERE order_id = 1010"));
        Assert.Equal(new DateTimeOffset(2026, 11, 9, 10, 0, 0, TimeSpan.Zero), summary.MaxUpdatedAt);
    }

    [Fact]
    public async Task A_whole_inventory_load_removes_the_items_and_levels_it_no_longer_carries_but_not_newer_ones()
    {
        var inventory = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "catalog_inventory_customers.jsonl"))
            .Where(l => l.Contains("\"__typename\":\"Inventory")).ToList();
        Assert.Equal(3, inventory.Count);
        string[] gone =
        [
            """{"__typename":"InventoryItem","id":"gid://shopify/InventoryItem/777","sku":"GONE","updatedAt":"2026-11-04T00:00:00Z","variant":"""
            + """{"id":"gid://shopify/ProductVariant/1"}}""",
            """{"__typename":"InventoryLevel","id":"gid://shopify/InventoryLevel/7771?inventory_item_id=777","location":"""
            + """{"id":"gid://shopify/Location/346779380"},"quantities":"""
            + """[{"name":"available","quantity":2}],"updatedAt":"2026-11-04T00:00:00Z","__parentId":"gid://shopify/InventoryItem/777"}""",
        ];
        const string newer = """{"__typename":"InventoryLevel","id":"gid://shopify/InventoryLevel/523463156?inventory_item_id=30322695","location":"""
            + """{"id":"gid://shopify/Location/9"},"quantities":"""
            + """[{"name":"available","quantity":1}],"updatedAt":"2026-11-12T00:00:00Z","__parentId":"gid://shopify/InventoryItem/30322695"}""";
        Stream Jsonl(IEnumerable<string> lines) => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        await Loader().Load(Jsonl(inventory.Concat(gone)), Shop, Guid.NewGuid(), "inventory-1", CancellationToken.None);
        await Loader().Load(Jsonl([newer]), Shop, Guid.NewGuid(), "inventory-newer", CancellationToken.None);

        // The whole extraction asked for on 10 November carries the item and one of its two levels: the other level and
        // the item gone (with its level) no longer exist; the level updated on the 12th is newer than the file.
        var run = Guid.NewGuid();
        var loader = Loader();
        await loader.Load(Jsonl(inventory.Where(l => !l.Contains("523463155"))), Shop, run, "inventory-2", CancellationToken.None);
        var removed = await loader.RemoveInventoryAbsentFrom(Shop, run, new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);

        Assert.Equal((1, 2), removed);
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.inventory_item"));
        Assert.Equal(346779380L + 9L, await Scalar("SELECT sum(location_id) FROM transform.inventory_level WHERE inventory_item_id = 30322695"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.inventory_level"));
    }

    [Fact]
    public async Task Loading_the_same_file_twice_leaves_no_duplicate_and_reports_rejections()
    {
        var first = Guid.NewGuid();
        await Loader().Load(Fixture(), Shop, first, "fixture", CancellationToken.None);
        var again = await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);

        Assert.Equal((3L, 2L), (again.Orders, again.LineItems));
        Assert.Equal(3L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.order_line_item"));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM transform.rejected_record WHERE run_id = '{first}' AND line_number = 6"));
    }

    [Fact]
    public async Task A_record_dated_more_than_a_day_after_the_load_began_is_rejected_with_its_reason_and_its_line_items_with_it()
    {
        // The fixture's order 1001 was updated 2026-11-02T08:00Z, its line item 9001 comes before it; order 1002 after.
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var future = lines.Select(l => l.Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2099-01-01T00:00:00Z\"")).ToList();
        var run = Guid.NewGuid();
        var began = new FixedClock(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero));

        var summary = await TransformDatabase.Loader(_dataSource, clock: began).Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', future))), Shop,
            run, "future", CancellationToken.None);

        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1001"));
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.order_line_item WHERE order_id = 1001"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1002"));
        var reason = await Query<string>($"SELECT reason FROM transform.rejected_record WHERE run_id = '{run}' AND external_id = 'gid://shopify/Order/1001'");
        Assert.Equal(
            "updatedAt 2099-01-01T00:00:00Z is more than a day after the load began (2026-11-03T00:00:00Z): a record dated in the future is not stored.",
            reason);
        Assert.Equal(2L, summary.Rejected);

        // Within a day of the load's start is not the future: the same file loaded the day before 1001's update is stored whole.
        var dayBefore = new FixedClock(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));
        await TransformDatabase.Loader(_dataSource, clock: dayBefore).Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1001"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_line_item WHERE order_id = 1001"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task An_older_version_of_an_order_does_not_overwrite_a_newer_one()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        var stale = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"))[1]
            .Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2026-11-01T00:00:00Z\"")
            .Replace("\"amount\":\"26.51\"", "\"amount\":\"1.00\"");
        await Loader().Load(new MemoryStream(Encoding.UTF8.GetBytes(stale)), Shop, Guid.NewGuid(), "stale", CancellationToken.None);

        Assert.Equal(2651L, await Scalar("SELECT total_minor FROM transform.order_header WHERE order_id = 1001"));
    }

    [Fact]
    public async Task The_orders_counts_by_day_and_state_follow_every_change_of_the_orders()
    {
        // Rows of the counts that differ from a count of the orders themselves, by day and state.
        Task<long> Differences() => Scalar("""
            SELECT count(*) FROM (
                (SELECT shop_domain, created_on, cancelled, is_test, financial_status, fulfillment_status, sum(orders)::bigint
                 FROM transform.order_count_daily GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(orders) <> 0
                 EXCEPT
                 SELECT shop_domain, (created_at AT TIME ZONE 'UTC')::date, cancelled_at IS NOT NULL, is_test, coalesce(lower(financial_status), ''),
                        coalesce(lower(fulfillment_status), ''), count(*)
                 FROM transform.order_header GROUP BY 1, 2, 3, 4, 5, 6)
                UNION ALL
                (SELECT shop_domain, (created_at AT TIME ZONE 'UTC')::date, cancelled_at IS NOT NULL, is_test, coalesce(lower(financial_status), ''),
                        coalesce(lower(fulfillment_status), ''), count(*)
                 FROM transform.order_header GROUP BY 1, 2, 3, 4, 5, 6
                 EXCEPT
                 SELECT shop_domain, created_on, cancelled, is_test, financial_status, fulfillment_status, sum(orders)::bigint
                 FROM transform.order_count_daily GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(orders) <> 0)) d
            """);

        // New orders, COPYed straight into the table, and more of another shop.
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        await Loader(chunkSize: 4).Load(OrdersNumbered(5000, 40), "other-shop.myshopify.com", Guid.NewGuid(), "other", CancellationToken.None);
        Assert.Equal(0L, await Differences());
        // Each chunk added its own rows; the load folded them into one a key.
        Assert.Equal(0L, await Scalar("""
            SELECT count(*) FROM (SELECT 1 FROM transform.order_count_daily GROUP BY shop_domain, created_on, cancelled, is_test, financial_status,
                                  fulfillment_status HAVING count(*) > 1) repeated
            """));
        Assert.Equal(1L, await Scalar("""
            SELECT sum(orders) FROM transform.order_count_daily
            WHERE shop_domain = 'load-test.myshopify.com' AND created_on = '2026-11-01' AND financial_status = 'paid' AND fulfillment_status = 'fulfilled'
            """));

        // A later version, upserted: cancelled and refunded, and created a day later (its count moves from one day to the other).
        var changed = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"))[1]
            .Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2026-11-03T08:00:00Z\"")
            .Replace("\"createdAt\":\"2026-11-01T23:59:59Z\"", "\"createdAt\":\"2026-11-02T00:00:01Z\"")
            .Replace("\"cancelledAt\":null", "\"cancelledAt\":\"2026-11-03T08:00:00Z\"")
            .Replace("\"displayFinancialStatus\":\"PAID\"", "\"displayFinancialStatus\":\"REFUNDED\"");
        await Loader().Load(new MemoryStream(Encoding.UTF8.GetBytes(changed)), Shop, Guid.NewGuid(), "changed", CancellationToken.None);
        Assert.Equal(0L, await Differences());
        Assert.Equal(1L, await Scalar("""
            SELECT sum(orders) FROM transform.order_count_daily
            WHERE shop_domain = 'load-test.myshopify.com' AND created_on = '2026-11-02' AND cancelled AND financial_status = 'refunded'
            """));

        // An update that leaves every order's day and state as they were counts nothing; a delete lowers the counts.
        var rows = await Scalar("SELECT count(*) FROM transform.order_count_daily");
        await Scalar("UPDATE transform.order_header SET customer_id = NULL; SELECT 1");
        Assert.Equal(rows, await Scalar("SELECT count(*) FROM transform.order_count_daily"));
        await Scalar("DELETE FROM transform.order_header WHERE order_id % 2 = 0; SELECT 1");
        Assert.Equal(0L, await Differences());
        Assert.Equal(await Scalar("SELECT count(*) FROM transform.order_header"), await Scalar("SELECT sum(orders) FROM transform.order_count_daily"));
    }

    [Fact]
    public async Task Two_versions_of_a_new_order_in_one_chunk_load_the_newer_one_with_one_event()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var newer = lines[1].Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2026-11-03T08:00:00Z\"")
            .Replace("\"amount\":\"26.51\"", "\"amount\":\"30.00\"");
        // The orders are new to the table, but the chunk repeats one: the straight COPY meets the key twice, is undone,
        // and the chunk goes through the upsert, which keeps the newer version.
        await Loader().Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", newer, lines[0], lines[1]))), Shop, Guid.NewGuid(), "twice",
            CancellationToken.None);

        Assert.Equal(3000L, await Scalar("SELECT total_minor FROM transform.order_header WHERE order_id = 1001"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_line_item WHERE order_id = 1001"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.commerce_event_outbox WHERE order_id = 1001 AND updated_at = '2026-11-03T08:00:00Z'"));
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.commerce_event_outbox"));
    }

    [Fact]
    public async Task Text_of_any_length_and_script_is_stored_as_given()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var title = string.Concat(Enumerable.Repeat("Säge 鋸 🪚 ", 9_000)); // about 150 KB of UTF-8, more than a COPY buffer
        var line = lines[0].Replace("\"title\":\"Pro Saw\"", $"\"title\":\"{title}\"");
        await Loader().Load(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", line, lines[1]))), Shop, Guid.NewGuid(), "long", CancellationToken.None);

        await using var command = _dataSource.CreateCommand("SELECT title FROM transform.order_line_item WHERE line_item_id = 9001");
        Assert.Equal(title, (string?)await command.ExecuteScalarAsync());
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1001 AND name = '#1001'"));
    }

    [Fact]
    public async Task A_copy_abandoned_part_way_writes_nothing_and_leaves_the_connection_usable()
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE transform.copy_target (id bigint, note text)", connection))
            await create.ExecuteNonQueryAsync();

        // More rows than one buffer, so that some were sent before the writer is given up without being completed.
        await using (var writer =
            await BinaryCopyWriter.Begin(connection, "COPY transform.copy_target (id, note) FROM STDIN (FORMAT BINARY)", CancellationToken.None))
            for (var id = 0L; id < 10_000; id++)
            {
                await writer.StartRow(2);
                writer.Bigint(id);
                writer.Text("a note long enough to fill a few buffers");
            }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM transform.copy_target", connection);
        Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_malformed_line_stops_the_load_with_its_number_and_commits_nothing_of_its_chunk()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl")).ToList();
        lines.Insert(3, "{\"__typename\":\"Order\",");
        var file = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));

        var exception = await Assert.ThrowsAsync<MalformedLineException>(
            () => Loader(chunkSize: 2).Load(file, Shop, Guid.NewGuid(), "malformed", CancellationToken.None));

        Assert.Equal(4, exception.LineNumber);
        // Lines 1-2 formed a full chunk and were committed; line 3 was in the chunk that line 4 broke.
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.order_header WHERE order_id = 1002"));
    }

    [Fact]
    public async Task A_load_that_stopped_resumes_after_its_last_committed_chunk_and_redoes_none()
    {
        var runId = Guid.NewGuid();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        await Assert.ThrowsAsync<IOException>(
            () => Loader(chunkSize: 2).Load(new BreakingStream(bytes, breakAfterLines: 5), Shop, runId, "resume", CancellationToken.None));
        Assert.Equal(4L, await Scalar($"SELECT lines_committed FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        var loadedBefore = await Scalar("SELECT extract(epoch FROM loaded_at)::bigint * 1000000 + extract(microseconds FROM loaded_at)::bigint "
            + "FROM transform.order_header WHERE order_id = 1001");

        var summary = await Loader(chunkSize: 2).Load(new MemoryStream(bytes), Shop, runId, "resume", CancellationToken.None);

        Assert.Equal((3L, 2L, 1L, 6L), (summary.Orders, summary.LineItems, summary.Rejected, summary.Lines));
        Assert.Equal(6L, await Scalar($"SELECT lines_committed FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        Assert.Equal(loadedBefore, await Scalar("SELECT extract(epoch FROM loaded_at)::bigint * 1000000 + extract(microseconds FROM loaded_at)::bigint "
            + "FROM transform.order_header WHERE order_id = 1001"));
        Assert.Equal(3L, await Scalar("SELECT count(*) FROM transform.order_header"));
    }

    [Fact]
    public async Task A_loads_progress_counts_the_bytes_of_its_committed_lines_out_of_the_files_size()
    {
        var runId = Guid.NewGuid();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var fourLines = bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'\n').ElementAt(3).i + 1;

        await Assert.ThrowsAsync<IOException>(() =>
            Loader(chunkSize: 2).Load(new BreakingStream(bytes, breakAfterLines: 5), Shop, runId, "bytes", CancellationToken.None, fileBytes: bytes.Length));

        // Lines 1-4 (two chunks) committed; the share read is theirs, whatever the parser had read past them.
        Assert.Equal((long)fourLines, await Scalar($"SELECT bytes_read FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        Assert.Equal((long)bytes.Length, await Scalar($"SELECT file_bytes FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        Assert.InRange(LoadProgressEndpoints.ShareOf(fourLines, bytes.Length)!.Value, 0.01, 0.99);

        // Resumed from a stream that can seek, its length is the file's size; the whole file read is a share of 1.
        await Loader(chunkSize: 2).Load(new MemoryStream(bytes), Shop, runId, "bytes", CancellationToken.None);
        Assert.Equal((long)bytes.Length, await Scalar($"SELECT bytes_read FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        Assert.Equal(1.0, LoadProgressEndpoints.ShareOf(bytes.Length, bytes.Length));
    }

    [Fact]
    public async Task A_database_error_in_a_chunk_halves_the_chunk_size_for_the_next_attempt()
    {
        var runId = Guid.NewGuid();
        await Scalar("ALTER TABLE transform.order_line_item ADD CONSTRAINT refuse_big_quantities CHECK (quantity < 2) NOT VALID; SELECT 1");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Loader(chunkSize: 4).Load(Fixture(), Shop, runId, "halve", CancellationToken.None));
        Assert.Equal(2L, await Scalar($"SELECT chunk_size FROM transform.upsert_progress WHERE run_id = '{runId}'"));

        await Scalar("ALTER TABLE transform.order_line_item DROP CONSTRAINT refuse_big_quantities; SELECT 1");
        var summary = await Loader(chunkSize: 4).Load(Fixture(), Shop, runId, "halve", CancellationToken.None);
        Assert.Equal((3L, 2L), (summary.Orders, summary.LineItems));
    }

    [Fact]
    public async Task A_chunk_upserted_beside_the_one_before_it_is_not_committed_when_that_one_fails()
    {
        // Six orders, two a chunk: the first chunk fails only as it commits (a deferred check), by when the second,
        // sharing no key with it, has been upserted beside it and waits to commit after it.
        await Scalar("""
            CREATE FUNCTION transform.refuse_order_5001() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.order_id = 5001 THEN RAISE EXCEPTION 'order 5001 refused'; END IF; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER refuse_order_5001 AFTER INSERT OR UPDATE ON transform.order_header
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION transform.refuse_order_5001();
            SELECT 1
            """);
        var runId = Guid.NewGuid();

        var exception = await Assert.ThrowsAsync<PostgresException>(() =>
            Loader(chunkSize: 2).Load(OrdersNumbered(5001, 6), Shop, runId, "ordered", CancellationToken.None));

        Assert.Contains("order 5001 refused", exception.MessageText);
        Assert.Equal(0L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM transform.upsert_progress WHERE run_id = '{runId}' AND lines_committed > 0"));

        await Scalar("DROP TRIGGER refuse_order_5001 ON transform.order_header; SELECT 1");
        var summary = await Loader(chunkSize: 2).Load(OrdersNumbered(5001, 6), Shop, runId, "ordered", CancellationToken.None);
        Assert.Equal(6L, summary.Orders);
        Assert.Equal(6L, await Scalar("SELECT count(*) FROM transform.order_header"));
    }

    [Fact]
    public async Task A_chunk_that_fails_beside_the_one_before_it_halves_the_chunk_size_once_that_one_has_committed()
    {
        // Two chunks of two orders: the first is slow (a trigger sleeps on its first order), the second fails at once.
        await Scalar("""
            CREATE FUNCTION transform.slow_order_6001() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.order_id = 6001 THEN PERFORM pg_sleep(0.5); END IF; RETURN NEW; END $$;
            CREATE TRIGGER slow_order_6001 BEFORE INSERT ON transform.order_header FOR EACH ROW EXECUTE FUNCTION transform.slow_order_6001();
            ALTER TABLE transform.order_header ADD CONSTRAINT refuse_order_6003 CHECK (order_id <> 6003) NOT VALID;
            SELECT 1
            """);
        var runId = Guid.NewGuid();

        var exception = await Assert.ThrowsAsync<PostgresException>(() =>
            Loader(chunkSize: 2).Load(OrdersNumbered(6001, 4), Shop, runId, "halve-after", CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.CheckViolation, exception.SqlState);
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.order_header"));
        Assert.Equal(2L, await Scalar($"SELECT lines_committed FROM transform.upsert_progress WHERE run_id = '{runId}'"));
        Assert.Equal(1L, await Scalar($"SELECT chunk_size FROM transform.upsert_progress WHERE run_id = '{runId}'"));
    }

    [Fact]
    public async Task Chunks_that_hold_the_same_order_are_upserted_one_after_the_other_and_the_newer_version_wins()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var newer = lines[1].Replace("\"updatedAt\":\"2026-11-02T08:00:00Z\"", "\"updatedAt\":\"2026-11-03T08:00:00Z\"")
            .Replace("\"amount\":\"26.51\"", "\"amount\":\"30.00\"");
        // Chunks of two: [line, order 1001], [order 1002, newer 1001], [older 1001 again].
        var file = string.Join('\n', lines[0], lines[1], lines[2], newer, lines[1]);
        var summary = await Loader(chunkSize: 2).Load(new MemoryStream(Encoding.UTF8.GetBytes(file)), Shop, Guid.NewGuid(), "same-order",
            CancellationToken.None);

        Assert.Equal(4L, summary.Orders);
        Assert.Equal(3000L, await Scalar("SELECT total_minor FROM transform.order_header WHERE order_id = 1001"));
        Assert.Equal(2L, await Scalar("SELECT count(*) FROM transform.commerce_event_outbox WHERE order_id = 1001"));
    }

    [Fact]
    public async Task A_shops_first_load_looks_none_of_its_orders_up_and_a_later_one_does()
    {
        // The statistics describe another shop only: the planner would take the new one for a shop of one row and look
        // each id up by scanning the shop's rows. A shop without orders has none to look up, so its load does not.
        await Loader().Load(OrdersNumbered(1, 6), "other-shop.myshopify.com", Guid.NewGuid(), "other", CancellationToken.None);

        var before = await OrderHeaderScans();
        await Loader(chunkSize: 2).Load(OrdersNumbered(100, 6), Shop, Guid.NewGuid(), "first", CancellationToken.None);
        var first = await OrderHeaderScans();
        await Loader(chunkSize: 2).Load(OrdersNumbered(200, 6), Shop, Guid.NewGuid(), "second", CancellationToken.None);
        var second = await OrderHeaderScans();

        Assert.Equal(1, first - before); // whether the shop has rows at all, once
        Assert.True(second - first > 3, $"a later load looks a sample of each chunk's ids up: {second - first} scans");
        Assert.Equal(12L, await Scalar($"SELECT count(*) FROM transform.order_header WHERE shop_domain = '{Shop}'"));
    }

    /// <summary>Scans of order_header so far, counted once every connection that made one has ended (and so reported it).</summary>
    private async Task<long> OrderHeaderScans()
    {
        _dataSource.Clear();
        for (var waited = 0; await Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") > 0; waited++)
        {
            if (waited == 100) throw new TimeoutException("Connections to the test database did not end within 10 s.");
            await Task.Delay(100);
        }
        return await Scalar("SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = 'transform.order_header'::regclass");
    }

    [Fact]
    public void Chunks_share_keys_when_they_hold_a_record_with_the_same_id()
    {
        RecordChunk Of(params string[] jsonl)
        {
            var chunk = new RecordChunk();
            foreach (var line in jsonl) chunk.Add(BulkLineParser.Parse(Encoding.UTF8.GetBytes(line), 1));
            return chunk;
        }
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "orders_children_first.jsonl"));
        var (line9001, order1001, order1002) = (lines[0], lines[1], lines[2]);

        Assert.False(Of(order1001).SharesKeysWith(Of(order1002)));
        Assert.False(Of(line9001).SharesKeysWith(Of(order1001)));
        Assert.True(Of(order1002, order1001).SharesKeysWith(Of(order1001)));
        Assert.True(Of(line9001).SharesKeysWith(Of(order1002, line9001)));
    }

    /// <summary>Gives the bytes a line at a time and fails once <paramref name="breakAfterLines"/> lines were read, like a dropped connection.</summary>
    private sealed class BreakingStream(byte[] content, int breakAfterLines) : Stream
    {
        private readonly byte[] bytes = content;
        private int _lines;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_lines >= breakAfterLines) throw new IOException("connection reset");
            var start = (int)Position;
            if (start >= bytes.Length) return ValueTask.FromResult(0);
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var length = Math.Min(buffer.Length, (end < 0 ? bytes.Length : end + 1) - start);
            bytes.AsSpan(start, length).CopyTo(buffer.Span);
            Position += length;
            _lines++;
            return ValueTask.FromResult(length);
        }
    }

    [Fact]
    public async Task Daily_sales_count_orders_and_revenue_without_test_or_cancelled_orders_and_fill_empty_days()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);

        var (currency, days) = await new DailySalesRefresher(_dataSource, Options.Create(new MartsOptions()))
            .Refresh(Shop, new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 2), CancellationToken.None);

        // 2026-10-31: no orders. 2026-11-01: #1001 (26.51, created 23:59:59 UTC). 2026-11-02: #1002 is a test order,
        // #1003 is cancelled, #1004 was rejected: nothing counts.
        Assert.Equal("USD", currency);
        Assert.Equal(
            [(new DateOnly(2026, 10, 31), 0, 0L), (new DateOnly(2026, 11, 1), 1, 2651L), (new DateOnly(2026, 11, 2), 0, 0L)],
            days.Select(d => (d.Date, d.Orders, d.RevenueMinor)));
    }

    [Fact]
    public async Task Every_data_quality_check_passes_on_clean_data_and_the_broken_ones_are_named()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        await new DailySalesRefresher(_dataSource, Options.Create(new MartsOptions()))
            .Refresh(Shop, new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 2), CancellationToken.None);
        var runner = new DataQualityRunner(_dataSource, Options.Create(new MartsOptions()), TimeProvider.System);

        var clean = await runner.Run(Shop, Guid.NewGuid(), CancellationToken.None);
        Assert.Equal(DataQualityChecks.All.Count, clean.Count);
        Assert.All(clean, outcome => Assert.True(outcome.Passed, $"{outcome.Check} found {outcome.Violations} violations"));

        var brokenRun = Guid.NewGuid();
        await Scalar($"""
            INSERT INTO transform.order_line_item (shop_domain, line_item_id, order_id, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, source_run_id)
            VALUES ('{Shop}', 777, 424242, 'orphan', 1, 1, 100, 0, 'USD', '{brokenRun}');
            UPDATE transform.order_header SET currency_code = 'EUR' WHERE order_id = 1003;
            UPDATE transform.sales_metrics_daily SET revenue_minor = revenue_minor + 1 WHERE date = '2026-11-01';
            SELECT 1
            """);
        var broken = await runner.Run(Shop, brokenRun, CancellationToken.None);

        Assert.Equal(["daily_sales_match_their_orders", "every_line_has_its_order", "one_currency_per_shop"],
            broken.Where(o => !o.Passed).Select(o => o.Check).Order());
        Assert.All(broken.Where(o => !o.Passed), o => Assert.Equal((Severity.Critical, 1L), (o.Severity, o.Violations)));
        Assert.Equal(2L * DataQualityChecks.All.Count, await Scalar("SELECT count(*) FROM transform.data_quality_result"));
    }

    [Fact]
    public async Task The_checks_of_a_runs_days_read_those_days_and_the_whole_shop_for_duplicates()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        await new DailySalesRefresher(_dataSource, Options.Create(new MartsOptions()))
            .Refresh(Shop, new DateOnly(2026, 10, 31), new DateOnly(2026, 11, 2), CancellationToken.None);
        var runner = new DataQualityRunner(_dataSource, Options.Create(new MartsOptions()), TimeProvider.System);
        // #1001 (1 November) is updated before it was created, and #1003 (2 November) gets its name.
        await Scalar("""
            UPDATE transform.order_header SET updated_at = created_at - interval '1 day' WHERE name = '#1001';
            UPDATE transform.order_header SET name = '#1001' WHERE name = '#1003';
            SELECT 1
            """);

        async Task<string[]> Failed((DateOnly, DateOnly)? days) =>
            (await runner.Run(Shop, null, CancellationToken.None, days: days)).Where(o => !o.Passed).Select(o => o.Check).Order().ToArray();
        Assert.Equal(["no_duplicate_order_names"], await Failed((new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 2))));
        Assert.Equal(["no_duplicate_order_names", "updated_not_before_created"], await Failed((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1))));
        Assert.Equal(["no_duplicate_order_names", "updated_not_before_created"], await Failed(null));
    }

    [Fact]
    public async Task After_a_sync_orphans_and_repeated_ids_are_looked_for_among_the_children_of_the_days_orders_and_on_demand_in_the_whole_shop()
    {
        await Loader().Load(Fixture(), Shop, Guid.NewGuid(), "fixture", CancellationToken.None);
        var runner = new DataQualityRunner(_dataSource, Options.Create(new MartsOptions()), TimeProvider.System);
        // #1002 is gone and its line 9002 stays (its order id lies between those of the days' orders, #1001 and #1003);
        // #1001's line 9001 is repeated under #1003; a line of an order far outside the days' ids has no order either.
        await Scalar($"""
            DELETE FROM transform.order_header WHERE order_id = 1002;
            INSERT INTO transform.order_line_item (shop_domain, line_item_id, order_id, title, quantity, current_quantity, unit_price_minor,
                total_discount_minor, currency_code, source_run_id)
            VALUES ('{Shop}', 9001, 1003, 'repeated', 1, 1, 100, 0, 'USD', '{Guid.NewGuid()}'),
                   ('{Shop}', 9999, 999999, 'far orphan', 1, 1, 100, 0, 'USD', '{Guid.NewGuid()}');
            SELECT 1
            """);

        async Task<(long Orphans, long Repeated)> Found((DateOnly, DateOnly)? days)
        {
            var outcomes = await runner.Run(Shop, null, CancellationToken.None, days: days);
            return (outcomes.Single(o => o.Check == "every_line_has_its_order").Violations,
                outcomes.Single(o => o.Check == "no_duplicate_child_ids").Violations);
        }
        Assert.Equal((1L, 1L), await Found((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2))));
        Assert.Equal((2L, 1L), await Found(null));
    }

    private async Task<T> Query<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
