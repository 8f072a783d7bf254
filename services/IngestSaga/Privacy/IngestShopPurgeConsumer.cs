using GrowthOs.Contracts.Connections;
using GrowthOs.IngestSaga.Telemetry;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.Privacy;

/// <summary>
/// The Ingest-Saga's part of a shop's purge: every row of the shop (runs, the events they left in the outbox,
/// watermarks, gaps, schedules, telemetry, webhook deliveries), then each run's archived telemetry. A run's telemetry is
/// forgotten under the lock its archiver writes under (<see cref="SyncTelemetryArchiver"/>): an archiver that was writing
/// a step of the run finishes first and its step goes too, and one that comes later finds the run purged
/// (<c>ingest.purged_run</c>) and writes nothing, even when a saga under way wrote its state again.
/// </summary>
public sealed class IngestShopPurgeConsumer(NpgsqlDataSource dataSource, ObjectStore store, ILogger<IngestShopPurgeConsumer> logger)
    : IConsumer<ShopPurgeRequested>
{
    private const string RunsOfShop = """
        SELECT correlation_id FROM ingest.bulk_sync_state WHERE shop_domain = @shop
        UNION SELECT correlation_id FROM ingest.marketing_sync_state WHERE shop_domain = @shop
        UNION SELECT run_id FROM ingest.sync_telemetry WHERE shop_domain = @shop
        """;

    public async Task Consume(ConsumeContext<ShopPurgeRequested> context)
    {
        var shop = context.Message.ShopDomain;
        // First, so that a run asked for before the purge and delivered from now on is never started (PurgedShopFilter).
        await PurgedShops.Remember(dataSource, shop, DateTimeOffset.UtcNow, context.CancellationToken);
        var runs = new List<Guid>();
        await using (var select = dataSource.CreateCommand(RunsOfShop))
        {
            select.Parameters.AddWithValue("shop", shop);
            await using var reader = await select.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken)) runs.Add(reader.GetGuid(0));
        }
        // The runs whose telemetry an archiver indexed under the shop, rows or none (a run under way when the purge began
        // may have written its first step after its rows were read and then lost them to the sweep).
        await using (var indexed = dataSource.CreateCommand("SELECT run_id FROM ingest.telemetry_object WHERE shop_sha256 = @hash"))
        {
            indexed.Parameters.AddWithValue("hash", PurgedShops.Hash(shop));
            await using var reader = await indexed.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken))
                if (!runs.Contains(reader.GetGuid(0))) runs.Add(reader.GetGuid(0));
        }
        // Before anything goes: a step of these runs archived from now on is dropped (SyncTelemetryArchiver).
        await using (var remember = dataSource.CreateCommand(
            "INSERT INTO ingest.purged_run (run_id) SELECT unnest(@runs) ON CONFLICT (run_id) DO NOTHING"))
        {
            remember.Parameters.AddWithValue("runs", runs.ToArray());
            await remember.ExecuteNonQueryAsync(context.CancellationToken);
        }
        var keys = new Dictionary<Guid, string>();
        await using (var select = dataSource.CreateCommand(
            "SELECT run_id, min(occurred_at) FROM ingest.sync_telemetry WHERE shop_domain = @shop GROUP BY run_id"))
        {
            select.Parameters.AddWithValue("shop", shop);
            await using var reader = await select.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken))
                keys[reader.GetGuid(0)] = SyncTelemetryArchiver.KeyFor(reader.GetGuid(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero));
        }

        var removed = await ShopPurge.RemoveRows(dataSource, ["ingest"], context.Message,
            // Every event a run leaves in the outbox names its shop: one of a run whose rows an earlier sweep already took goes too.
            [new PurgeStatement("ingest.saga_event_outbox",
                $"DELETE FROM ingest.saga_event_outbox WHERE run_id IN ({RunsOfShop}) OR body ->> 'shopDomain' = @shop")], context.CancellationToken);
        long objects = 0, lateRows = 0;
        foreach (var run in runs)
        {
            var (deleted, rows) = await ForgetTelemetry(run, keys.GetValueOrDefault(run), context.CancellationToken);
            (objects, lateRows) = (objects + deleted, lateRows + rows);
        }
        if (lateRows > 0) removed["ingest.sync_telemetry"] = removed.GetValueOrDefault("ingest.sync_telemetry") + lateRows;
        removed["objects:telemetry/sync.telemetry/"] = objects;
        await ShopPurge.Answer(context, PurgeServices.IngestSaga, removed, logger);
    }

    /// <summary>
    /// The run's archived telemetry, and any step of it an archiver committed while the rows went: the objects deleted and
    /// the late rows removed.
    /// </summary>
    private async Task<(long Objects, long Rows)> ForgetTelemetry(Guid run, string? known, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"telemetry:{run}", cancellationToken);
        var objectKeys = new HashSet<string>(StringComparer.Ordinal);
        if (known is not null) objectKeys.Add(known);
        await using (var indexed = new NpgsqlCommand("DELETE FROM ingest.telemetry_object WHERE run_id = @run RETURNING object_key", connection, transaction))
        {
            indexed.Parameters.AddWithValue("run", run);
            await using var reader = await indexed.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) objectKeys.Add(reader.GetString(0));
        }
        await using (var first = new NpgsqlCommand("SELECT min(occurred_at) FROM ingest.sync_telemetry WHERE run_id = @run", connection, transaction))
        {
            first.Parameters.AddWithValue("run", run);
            if (await first.ExecuteScalarAsync(cancellationToken) is DateTime at)
                objectKeys.Add(SyncTelemetryArchiver.KeyFor(run, new DateTimeOffset(at, TimeSpan.Zero)));
        }
        long rows;
        await using (var delete = new NpgsqlCommand("DELETE FROM ingest.sync_telemetry WHERE run_id = @run", connection, transaction))
        {
            delete.Parameters.AddWithValue("run", run);
            rows = await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        long objects = 0;
        foreach (var key in objectKeys)
            if (await store.Delete(key, cancellationToken)) objects++;
        await transaction.CommitAsync(cancellationToken);
        return (objects, rows);
    }
}
