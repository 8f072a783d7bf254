using System.Text;
using Npgsql;

namespace GrowthOs.Transform.Loading;

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
        var updates = string.Join(", ", columns
            .Where(c => !keys.Contains(c.Name))
            .Select(c => $"{c.Name} = EXCLUDED.{c.Name}")
            .Append("source_run_id = EXCLUDED.source_run_id"));
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

    /// <summary>
    /// Binary COPY of the records, with the shop and the run, into <paramref name="into"/>: the staging table, or the
    /// table itself for rows known to be new.
    /// </summary>
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
