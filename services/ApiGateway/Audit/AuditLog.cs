using System.Diagnostics;
using System.Text.RegularExpressions;
using GrowthOs.ServiceDefaults.Persistence;
using Npgsql;

namespace GrowthOs.ApiGateway.Audit;

/// <summary>The gateway's audit log in PostgreSQL (schema <c>gateway</c>).</summary>
public sealed partial class AuditLog(NpgsqlDataSource dataSource)
{
    /// <summary>Records a request as it arrives, before anything is done for it, and returns its entry's id.</summary>
    public async Task<long> Begin(DateTimeOffset at, string? keyId, string? role, string method, string path, string? shop, Guid? runId, string? client,
        CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.audit_entry (received_at, key_id, role, method, path, shop_domain, run_id, client_address, trace_id, outcome)
            VALUES (@at, @key, @role, @method, @path, @shop, @run, @client, @trace, 'pending')
            RETURNING entry_id
            """);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("key", (object?)keyId ?? DBNull.Value);
        command.Parameters.AddWithValue("role", (object?)role ?? DBNull.Value);
        command.Parameters.AddWithValue("method", method);
        command.Parameters.AddWithValue("path", path);
        command.Parameters.AddWithValue("shop", (object?)shop ?? DBNull.Value);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        command.Parameters.AddWithValue("client", (object?)client ?? DBNull.Value);
        command.Parameters.AddWithValue("trace", (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value);
        // A connection the database dropped (a restart) is not an outage of the audit log: the entry is written on a fresh one.
        return await ConnectionRetry.Run(dataSource, async () => (long)(await command.ExecuteScalarAsync(cancellation))!, cancellation);
    }

    /// <summary>Records an action done for a caller outside a request (a webhook's answer, made later), done; once for the same path and shop.</summary>
    public async Task RecordOnce(DateTimeOffset at, string keyId, string method, string path, string shop, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.audit_entry (received_at, key_id, method, path, shop_domain, trace_id, status, outcome, completed_at)
            SELECT @at, @key, @method, @path, @shop, @trace, 200, 'succeeded', @at
            WHERE NOT EXISTS (SELECT 1 FROM gateway.audit_entry WHERE shop_domain = @shop AND path = @path AND method = @method)
            """);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("key", keyId);
        command.Parameters.AddWithValue("method", method);
        command.Parameters.AddWithValue("path", path);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("trace", (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value);
        await ConnectionRetry.Run(dataSource, () => command.ExecuteNonQueryAsync(cancellation), cancellation);
    }

    /// <summary>Records how the request ended, and the run it started when its answer names one.</summary>
    public async Task Complete(long entryId, DateTimeOffset at, int status, Guid? runId, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE gateway.audit_entry SET status = @status, outcome = @outcome, completed_at = @at, run_id = COALESCE(run_id, @run)
            WHERE entry_id = @id
            """);
        command.Parameters.AddWithValue("id", entryId);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("outcome", status switch { < 400 => "succeeded", < 500 => "refused", _ => "failed" });
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        await ConnectionRetry.Run(dataSource, () => command.ExecuteNonQueryAsync(cancellation), cancellation);
    }

    /// <summary>The longest path an anonymous count keeps (a longer one is cut): the rows stay small however the paths are made.</summary>
    public const int MaxCountedPathLength = 200;

    /// <summary>Adds one to the count of actions tried without a valid key in this minute, by method, path and address.</summary>
    public async Task CountAnonymous(DateTimeOffset at, string method, string path, string? client, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.audit_anonymous (minute, method, path, client_address, refused) VALUES (date_trunc('minute', @at), @method, @path, @client, 1)
            ON CONFLICT (minute, method, path, client_address) DO UPDATE SET refused = gateway.audit_anonymous.refused + 1
            """);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("method", method.Length > 16 ? method[..16] : method);
        command.Parameters.AddWithValue("path", path.Length > MaxCountedPathLength ? path[..MaxCountedPathLength] : path);
        command.Parameters.AddWithValue("client", client ?? "");
        await ConnectionRetry.Run(dataSource, () => command.ExecuteNonQueryAsync(cancellation), cancellation);
    }

    /// <summary>The newest minutes of anonymous refusals first, within the range.</summary>
    public async Task<IReadOnlyList<(DateTimeOffset Minute, string Method, string Path, string Client, long Refused)>> ReadAnonymous(
        DateTimeOffset? from, DateTimeOffset? to, int limit, CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT minute, method, path, client_address, refused FROM gateway.audit_anonymous
            WHERE (@from::timestamptz IS NULL OR minute >= date_trunc('minute', @from)) AND (@to::timestamptz IS NULL OR minute < @to)
            ORDER BY minute DESC, refused DESC LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var counts = new List<(DateTimeOffset, string, string, string, long)>();
        while (await reader.ReadAsync(cancellation))
            counts.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
        return counts;
    }

    /// <summary>The newest entries first, optionally of one shop or key, before an entry id (for paging).</summary>
    public async Task<IReadOnlyList<AuditEntry>> Read(string? shop, string? keyId, DateTimeOffset? from, DateTimeOffset? to, long? before, int limit,
        CancellationToken cancellation)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT entry_id, received_at, key_id, role, method, path, shop_domain, run_id, client_address, trace_id, status, outcome, completed_at
            FROM gateway.audit_entry
            WHERE (@shop::text IS NULL OR shop_domain = @shop) AND (@key::text IS NULL OR key_id = @key)
              AND (@from::timestamptz IS NULL OR received_at >= @from) AND (@to::timestamptz IS NULL OR received_at < @to)
              AND (@before::bigint IS NULL OR entry_id < @before)
            ORDER BY entry_id DESC
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("shop", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)shop ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("key", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)keyId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellation))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), Text(reader, 2), Text(reader, 3), reader.GetString(4), reader.GetString(5),
                Text(reader, 6), reader.IsDBNull(7) ? null : reader.GetGuid(7), Text(reader, 8), Text(reader, 9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10), reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }
        return entries;
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>The run a path or an answer's <c>Location</c> names (<c>/api/ingest/runs/{id}</c>).</summary>
    public static Guid? RunIn(string? pathOrLocation) =>
        pathOrLocation is not null && RunPath().Match(pathOrLocation) is { Success: true } match && Guid.TryParse(match.Groups[1].Value, out var id)
            ? id
            : null;

    [GeneratedRegex("/api/ingest/runs/([0-9a-fA-F-]{36})")]
    private static partial Regex RunPath();
}
