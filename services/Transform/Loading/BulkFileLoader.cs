using System.Buffers;
using System.IO.Pipelines;
using GrowthOs.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Loading;

/// <summary>
/// Streams a bulk JSONL file line by line and upserts it chunk by chunk; memory holds one chunk whatever the file size.
/// Each chunk commits together with the load's progress (<c>transform.upsert_progress</c>), so a load that stops — a
/// crash, a database error — resumes after its last committed chunk and redoes none. A database error halves the chunk
/// size for the next attempt. A malformed line stops the load with its line number; its chunk is not committed.
/// </summary>
public sealed class BulkFileLoader(OrderUpserter upserter, NpgsqlDataSource dataSource, IOptions<UpsertOptions> options, TimeProvider clock,
    ILogger<BulkFileLoader> logger)
{
    /// <summary>
    /// The line items read before their order (a child may come first) of an order rejected for its future date: without
    /// a stored order they are removed, as their order was never stored.
    /// </summary>
    private async Task RemoveLineItemsOfRejectedOrders(string shop, IReadOnlyCollection<long> orders, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM transform.order_line_item l
            WHERE l.shop_domain = @shop AND l.order_id = ANY(@orders)
              AND NOT EXISTS (SELECT 1 FROM transform.order_header o WHERE o.shop_domain = l.shop_domain AND o.order_id = l.order_id)
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("orders", orders.ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Loads <paramref name="jsonl"/>, resuming after the last chunk a stopped load of the same run and file committed.
    /// <paramref name="fileBytes"/> (the stream's length when it can seek) lets the progress say what share is read.
    /// </summary>
    public async Task<LoadSummary> Load(Stream jsonl, string shop, Guid runId, string archiveKey, CancellationToken cancellationToken, int? chunkSize = null,
        long? fileBytes = null)
    {
        var progress = await UpsertProgress.Find(dataSource, runId, archiveKey, cancellationToken)
                       ?? new UpsertProgress(runId, archiveKey, chunkSize ?? options.Value.ChunkSize);
        if (progress.LinesCommitted > 0)
            logger.LogInformation("Resuming the load of {ArchiveKey} after line {LinesCommitted}, {ChunkSize} records a chunk", archiveKey,
                progress.LinesCommitted, progress.ChunkSize);
        progress.FileBytes = fileBytes ?? (jsonl.CanSeek ? jsonl.Length : progress.FileBytes);

        var resumeAfter = progress.LinesCommitted;
        var resumedRecords = progress.Records;
        var newToShop = await TablesWithoutRowsOf(shop, cancellationToken);
        var shopHadOrders = !newToShop.Contains("order_header");
        // A load that stopped (a crash) may have left the shop's first orders unanalysed: its lookups by id are planned on
        // statistics that know the shop.
        if (resumeAfter > 0 && shopHadOrders) await Analyze(["order_header"], long.MaxValue, newToShop, cancellationToken);
        var touched = new HashSet<string>();
        var scheduler = new ChunkScheduler<RecordChunk>(MaxChunksInFlight);
        var chunk = new RecordChunk();
        var future = new FutureDatedRecords(clock.GetUtcNow());
        var pending = progress.Copy();
        var reader = PipeReader.Create(jsonl, new StreamPipeReaderOptions(bufferSize: 1 << 20));
        long lineNumber = 0;
        long bytesRead = 0;
        var handedOver = progress.LinesCommitted;

        void Handle(ReadOnlySequence<byte> line)
        {
            lineNumber++;
            if (lineNumber <= resumeAfter || IsBlank(line)) return;
            var result = future.Check(
                line.IsSingleSegment ? BulkLineParser.Parse(line.FirstSpan, lineNumber) : BulkLineParser.Parse(line.ToArray(), lineNumber), lineNumber);
            if (!chunk.Add(result)) return;
            pending.Count(result);
            if (TablesOf(result) is { } tables) touched.UnionWith(tables);
        }

        // Chunks are upserted while the next one is parsed (ChunkScheduler): the database works on two chunks while the
        // parser fills a third.
        async Task Commit()
        {
            var counted = pending.Copy();
            counted.LinesCommitted = handedOver = lineNumber;
            counted.BytesRead = bytesRead;
            chunk = await scheduler.Start(chunk, (records, before) => Upsert(records, counted, before));
        }

        async Task Upsert(RecordChunk records, UpsertProgress counted, Task before)
        {
            await Task.Yield();
            try
            {
                await upserter.Upsert(shop, runId, records, counted, shopHadOrders, before, cancellationToken);
            }
            catch (NpgsqlException exception) when (!cancellationToken.IsCancellationRequested && !before.IsFaulted)
            {
                // The chunk before this one commits its progress first, or the chunk size set here would be overwritten.
                try { await before; } catch { /* that chunk's failure is its own to report */ }
                var halved = Math.Max(1, progress.ChunkSize / 2);
                logger.LogWarning("A chunk of {ArchiveKey} after line {LinesCommitted} failed ({Error}); the next attempt uses chunks of {ChunkSize}",
                    archiveKey, progress.LinesCommitted, exception.Message, halved);
                await UpsertProgress.SetChunkSize(dataSource, runId, archiveKey, halved, CancellationToken.None);
                throw;
            }
            progress = counted;
        }

        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    Handle(line);
                    bytesRead += line.Length + 1;
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (chunk.Count >= progress.ChunkSize) await Commit();
                }
                // A line never ends: refused with its number before it is held whole.
                if (buffer.Length > JsonLines.MaxLineBytes)
                    throw new MalformedLineException(lineNumber + 1, $"the line runs past {JsonLines.MaxLineBytes} bytes without its end");
                if (read.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        Handle(buffer);
                        bytesRead += buffer.Length;
                    }
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            if (chunk.Count > 0 || lineNumber > handedOver) await Commit();
            await scheduler.Drain();
            if (future.RejectedOrders.Count > 0) await RemoveLineItemsOfRejectedOrders(shop, future.RejectedOrders, cancellationToken);
            if (touched.Contains("order_header")) await CompactOrderCounts(shop, cancellationToken);
        }
        catch (Exception failure)
        {
            // The chunks before the failure still commit or fail on their own; the load reports the first failure.
            await scheduler.Settle();
            // What was committed is planned on fresh statistics too, by whatever loads the shop next (Analyze: a large load
            // changes them, and so do a shop's first rows in a table of a few other shops).
            if (progress.Records > resumedRecords && touched.Count > 0 && !cancellationToken.IsCancellationRequested)
                try { await Analyze([.. touched], progress.Records - resumedRecords, newToShop, cancellationToken); }
                catch (Exception exception)
                {
                    logger.LogWarning("After the failed load of {ArchiveKey} ({Error}), analysing {Tables} failed too: {AnalyzeError}", archiveKey,
                        failure.Message, touched, exception.Message);
                }
            throw;
        }
        finally
        {
            await reader.CompleteAsync();
        }
        if (touched.Count > 0) await Analyze([.. touched], progress.Records - resumedRecords, newToShop, cancellationToken);
        return new LoadSummary(progress.Orders, progress.LineItems, progress.Rejected, lineNumber, progress.MaxUpdatedAt, progress.FirstOrderDate,
            progress.LastOrderDate, progress.Records);
    }

    /// <summary>
    /// Folds the order counts the load's chunks added, one row per chunk and key, into one row per key
    /// (<c>transform.order_count_daily</c>), so that the orders list's total stays a sum of a few rows a day.
    /// </summary>
    private async Task CompactOrderCounts(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT transform.compact_order_counts(@shop)");
        command.Parameters.AddWithValue("shop", shop);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// After a whole extraction of the shop's inventory, asked for at <paramref name="asOf"/>, was loaded by
    /// <paramref name="runId"/>: removes the items and levels the load did not carry and nothing updated since, which
    /// no longer exist in the shop. A record the load carried is stamped with the run, even when the table already held
    /// that version; one updated after <paramref name="asOf"/> came from a newer extraction and stays.
    /// </summary>
    public async Task<(int Items, int Levels)> RemoveInventoryAbsentFrom(string shop, Guid runId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var levels = await Remove("inventory_level");
        var items = await Remove("inventory_item");
        await transaction.CommitAsync(cancellationToken);
        return (items, levels);

        async Task<int> Remove(string table)
        {
            await using var command = new NpgsqlCommand(
                $"DELETE FROM transform.{table} WHERE shop_domain = @shop AND source_run_id <> @run AND (updated_at IS NULL OR updated_at < @asOf)",
                connection, transaction);
            command.Parameters.AddWithValue("shop", shop);
            command.Parameters.AddWithValue("run", runId);
            command.Parameters.AddWithValue("asOf", asOf.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Chunks upserted at once, each in its own transaction on its own connection.</summary>
    public const int MaxChunksInFlight = 2;

    /// <summary>
    /// A load of at least this share of a table's rows changes its statistics enough to analyse it at once rather than
    /// when autovacuum gets to it (autovacuum_analyze_scale_factor's default).
    /// </summary>
    public const double AnalyzeAfterShare = 0.1;

    /// <summary>A table whose statistics know this many shops or fewer is analysed when a shop new to it is loaded.</summary>
    public const int FewShops = 100;

    private static readonly string[] OrderTables = ["order_header", "order_refund", "order_fulfillment"];
    private static readonly string[] LineTables = ["order_line_item"];
    private static readonly string[] ProductTables = ["product"];
    private static readonly string[] VariantTables = ["product_variant"];
    private static readonly string[] ItemTables = ["inventory_item"];
    private static readonly string[] LevelTables = ["inventory_level"];
    private static readonly string[] CustomerTables = ["customer"];

    private static string[]? TablesOf(BulkLineParser.Result result) => result switch
    {
        BulkLineParser.Order => OrderTables,
        BulkLineParser.LineItem => LineTables,
        BulkLineParser.Product => ProductTables,
        BulkLineParser.Variant => VariantTables,
        BulkLineParser.InventoryItem => ItemTables,
        BulkLineParser.InventoryLevel => LevelTables,
        BulkLineParser.Customer => CustomerTables,
        _ => null,
    };

    private static readonly string[] Tables =
        [.. OrderTables, .. LineTables, .. ProductTables, .. VariantTables, .. ItemTables, .. LevelTables, .. CustomerTables];

    /// <summary>The tables in which the shop has no row yet (one index probe each).</summary>
    private async Task<HashSet<string>> TablesWithoutRowsOf(string shop, CancellationToken cancellationToken)
    {
        var empty = new HashSet<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var table in Tables)
        {
            await using var probe = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM transform.{table} WHERE shop_domain = @shop)", connection);
            probe.Parameters.AddWithValue("shop", shop);
            if (!(bool)(await probe.ExecuteScalarAsync(cancellationToken))!) empty.Add(table);
        }
        return empty;
    }

    /// <summary>
    /// Analyses those of the tables whose statistics a load of <paramref name="records"/> records left stale, two at a
    /// time, each on its own connection: a table it may have changed by a tenth or more (of its estimated rows, never
    /// analysed counting as none), and a table of <paramref name="newToShop"/> whose statistics know at most
    /// <see cref="FewShops"/> shops (the new shop, unknown to them, would be planned as an empty one). A small load among
    /// many shops' rows is left to autovacuum, which analyses a table once a tenth of it changed. A table another load is
    /// analysing is skipped: that one's statistics come moments later, and many shops' loads at once would otherwise queue
    /// on it one after the other.
    /// </summary>
    private async Task Analyze(IReadOnlyList<string> tables, long records, IReadOnlySet<string> newToShop, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        await using (var sizes = dataSource.CreateCommand("""
            SELECT t.name FROM unnest(@tables) AS t(name) JOIN pg_class c ON c.oid = ('transform.' || t.name)::regclass
            LEFT JOIN pg_stats s ON s.schemaname = 'transform' AND s.tablename = t.name AND s.attname = 'shop_domain'
            WHERE c.reltuples <= 0 OR @records >= c.reltuples * @share
               OR (t.name = ANY(@new) AND (s.n_distinct IS NULL OR s.n_distinct BETWEEN 0 AND @few))
            """))
        {
            sizes.Parameters.AddWithValue("tables", tables.ToArray());
            sizes.Parameters.AddWithValue("records", (double)records);
            sizes.Parameters.AddWithValue("share", AnalyzeAfterShare);
            sizes.Parameters.AddWithValue("new", newToShop.ToArray());
            sizes.Parameters.AddWithValue("few", (float)FewShops);
            await using var reader = await sizes.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) stale.Add(reader.GetString(0));
        }
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = MaxChunksInFlight, CancellationToken = cancellationToken },
            async (table, token) =>
            {
                await using var command = dataSource.CreateCommand($"ANALYZE (SKIP_LOCKED) transform.{table}");
                command.CommandTimeout = 600;
                await command.ExecuteNonQueryAsync(token);
            });
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
            foreach (var b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t')) return false;
        return true;
    }
}
