using System.Text;
using System.Text.Json;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.Telemetry;

/// <summary>
/// Appends every step change to the run's <c>sync.telemetry</c> JSONL in the object store
/// (<c>telemetry/sync.telemetry/{yyyy}/{MM}/{dd}/{runId}.jsonl</c>, dated by the run's first event). Events are kept in
/// PostgreSQL first, so a redelivered event is written once and the object always holds every event so far, in order.
/// An event of a run that no longer exists or that a shop's purge removed is dropped.
/// </summary>
public sealed class SyncTelemetryArchiver(NpgsqlDataSource dataSource, ObjectStore store) : IConsumer<SyncStepChanged>
{
    private static readonly JsonSerializerOptions Json = ApiJson.Options;

    public async Task Consume(ConsumeContext<SyncStepChanged> context)
    {
        var e = context.Message;
        await using var connection = await dataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        // One writer per run at a time, so the object is never overwritten by a writer that saw fewer events.
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"telemetry:{e.RunId}", context.CancellationToken);
        // A run that a shop's purge removed leaves nothing behind: a step event of it still on its way (published before the
        // purge, delivered after either of its sweeps) archives nothing.
        await using (var exists = new NpgsqlCommand("""
            SELECT (EXISTS (SELECT 1 FROM ingest.bulk_sync_state WHERE correlation_id = @run)
                    OR EXISTS (SELECT 1 FROM ingest.marketing_sync_state WHERE correlation_id = @run))
                AND NOT EXISTS (SELECT 1 FROM ingest.purged_run WHERE run_id = @run)
            """, connection, transaction))
        {
            exists.Parameters.AddWithValue("run", e.RunId);
            if (await exists.ExecuteScalarAsync(context.CancellationToken) is not true) return;
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO ingest.sync_telemetry (run_id, event_id, shop_domain, job_type, step, status, entity, occurred_at, counts, error)
            VALUES (@run, @event, @shop, @job, @step, @status, @entity, @at, @counts::jsonb, @error)
            ON CONFLICT (run_id, event_id) DO NOTHING
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("run", e.RunId);
            insert.Parameters.AddWithValue("event", EventId(context));
            insert.Parameters.AddWithValue("entity", (object?)e.Entity ?? DBNull.Value);
            insert.Parameters.AddWithValue("shop", e.ShopDomain);
            insert.Parameters.AddWithValue("job", e.JobType);
            insert.Parameters.AddWithValue("step", e.Step);
            insert.Parameters.AddWithValue("status", e.Status);
            insert.Parameters.AddWithValue("at", e.OccurredAt.UtcDateTime);
            insert.Parameters.AddWithValue("counts", JsonSerializer.Serialize(e.Counts));
            insert.Parameters.AddWithValue("error", (object?)e.Error ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(context.CancellationToken);
        }

        var lines = new StringBuilder();
        DateTimeOffset? first = null;
        await using (var select = new NpgsqlCommand("""
            SELECT run_id, shop_domain, job_type, step, status, occurred_at, counts::text, error, entity
            FROM ingest.sync_telemetry WHERE run_id = @run ORDER BY occurred_at, step, entity
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("run", e.RunId);
            await using var reader = await select.ExecuteReaderAsync(context.CancellationToken);
            while (await reader.ReadAsync(context.CancellationToken))
            {
                var occurredAt = new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero);
                first ??= occurredAt;
                lines.Append(JsonSerializer.Serialize(new TelemetryLine(
                    reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), occurredAt,
                    JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(6))!, reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)), Json));
                lines.Append('\n');
            }
        }
        var key = KeyFor(e.RunId, first ?? e.OccurredAt);
        // Indexed by the shop's hash in the same transaction, so a purge finds the object even once the run's rows are gone.
        await using (var index = new NpgsqlCommand("""
            INSERT INTO ingest.telemetry_object (run_id, shop_sha256, object_key) VALUES (@run, @shop, @key)
            ON CONFLICT (run_id) DO UPDATE SET object_key = EXCLUDED.object_key
            """, connection, transaction))
        {
            index.Parameters.AddWithValue("run", e.RunId);
            index.Parameters.AddWithValue("shop", Privacy.PurgedShops.Hash(e.ShopDomain));
            index.Parameters.AddWithValue("key", key);
            await index.ExecuteNonQueryAsync(context.CancellationToken);
        }
        await store.PutText(key, lines.ToString(), "application/jsonl", context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }

    public static string KeyFor(Guid runId, DateTimeOffset firstEvent) =>
        $"telemetry/sync.telemetry/{firstEvent.UtcDateTime:yyyy/MM/dd}/{runId:N}.jsonl";

    /// <summary>
    /// The event's id: its message id, which the run derives from its place in the run (the same on a redelivery); an
    /// event published without one is named by what it says.
    /// </summary>
    private static Guid EventId(ConsumeContext<SyncStepChanged> context)
    {
        if (context.MessageId is { } id) return id;
        var e = context.Message;
        return RunIds.OfEvent(e.RunId, $"telemetry|{e.Step}|{e.Status}|{e.Entity}|{e.OccurredAt.UtcTicks}");
    }

    private sealed record TelemetryLine(
        Guid RunId, string Shop, string JobType, string Step, string Status, DateTimeOffset OccurredAt, Dictionary<string, long> Counts, string? Error,
        string? Entity);
}
