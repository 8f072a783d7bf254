using GrowthOs.Contracts.Transform;
using MassTransit;
using Npgsql;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>
/// Keeps how far each load is (<c>ingest.load_progress</c>), for the runs API. Reports come at least once and in any
/// order: a row only ever moves forward.
/// </summary>
public sealed class LoadProgressRecorder(NpgsqlDataSource dataSource, TimeProvider clock) : IConsumer<ArchivedRecordsUpsertProgressed>
{
    public Task Consume(ConsumeContext<ArchivedRecordsUpsertProgressed> context) => Record(context.Message, context.CancellationToken);

    public async Task Record(ArchivedRecordsUpsertProgressed progress, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.load_progress AS p (run_id, archive_key, lines_committed, records_committed, updated_at)
            VALUES (@run, @key, @lines, @records, @at)
            ON CONFLICT (run_id, archive_key) DO UPDATE
               SET lines_committed = EXCLUDED.lines_committed, records_committed = EXCLUDED.records_committed, updated_at = EXCLUDED.updated_at
             WHERE p.lines_committed < EXCLUDED.lines_committed
            """);
        command.Parameters.AddWithValue("run", progress.RunId);
        command.Parameters.AddWithValue("key", progress.ArchiveKey);
        command.Parameters.AddWithValue("lines", progress.LinesCommitted);
        command.Parameters.AddWithValue("records", progress.RecordsCommitted);
        command.Parameters.AddWithValue("at", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The progress of each run's current load, for the runs that are loading.</summary>
    public static async Task<Dictionary<Guid, (long Lines, long Records)>> Of(
        NpgsqlDataSource dataSource, IEnumerable<(Guid RunId, string ArchiveKey)> loads, CancellationToken cancellationToken)
    {
        var wanted = loads.ToList();
        var found = new Dictionary<Guid, (long, long)>();
        if (wanted.Count == 0) return found;
        await using var command = dataSource.CreateCommand("""
            SELECT p.run_id, p.lines_committed, p.records_committed
            FROM ingest.load_progress p JOIN unnest(@runs, @keys) AS w(run_id, archive_key) USING (run_id, archive_key)
            """);
        command.Parameters.AddWithValue("runs", wanted.Select(w => w.RunId).ToArray());
        command.Parameters.AddWithValue("keys", wanted.Select(w => w.ArchiveKey).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) found[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return found;
    }
}
