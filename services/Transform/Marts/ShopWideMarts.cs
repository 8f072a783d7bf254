using System.Text;
using System.Text.Json;
using GrowthOs.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Fills <c>integration_usage_daily</c>: every reporting day of every shop from its first order to yesterday, zero when
/// it had none. Each shop continues from its last processed day (or redoes the days asked for); shops go in batches of
/// <see cref="ShopsPerBatch"/> and rows are written every <see cref="RowsPerInsert"/>.
/// </summary>
public sealed class UsageDailyRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options, TimeProvider clock)
{
    public const int ShopsPerBatch = 100;
    public const int RowsPerInsert = 10_000;
    private static readonly string Sql = SqlScripts.Read("usage_daily.sql");

    /// <summary>
    /// Returns the rows written. <paramref name="shop"/> null: every shop. Without <paramref name="from"/> each shop continues
    /// after its last processed day; with it, those days are redone, and with <paramref name="fillGap"/> any days between the
    /// last processed day and <paramref name="from"/> too.
    /// </summary>
    public async Task<long> Refresh(string? shop, DateOnly? from, DateOnly? to, CancellationToken cancellationToken, bool fillGap = false)
    {
        var shops = shop is not null ? [shop] : await Shops(cancellationToken);
        var pending = new List<(string Shop, DateOnly Date, int Orders)>(RowsPerInsert);
        long written = 0;
        foreach (var batch in shops.Chunk(ShopsPerBatch))
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            foreach (var domain in batch)
            {
                var yesterday = options.Value.Today(domain, clock.GetUtcNow()).AddDays(-1);
                var next = from is null || fillGap ? await NextDay(connection, domain, cancellationToken) : null;
                var start = (from, next) switch
                {
                    ({ } asked, { } continued) => asked < continued ? asked : continued,
                    _ => from ?? next,
                };
                var end = to is { } last && last < yesterday ? last : yesterday;
                if (start is not { } first || first > end) continue;
                await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
                command.Parameters.AddWithValue("shop", domain);
                command.Parameters.AddWithValue("from", first);
                command.Parameters.AddWithValue("to", end);
                command.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(domain));
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    while (await reader.ReadAsync(cancellationToken))
                        pending.Add((domain, reader.GetFieldValue<DateOnly>(0), reader.GetInt32(1)));
                if (pending.Count >= RowsPerInsert) written += await Write(connection, pending, cancellationToken);
            }
            written += await Write(connection, pending, cancellationToken);
        }
        return written;
    }

    private async Task<string[]> Shops(CancellationToken cancellationToken)
    {
        var shops = new List<string>();
        await using var command = dataSource.CreateCommand("SELECT DISTINCT shop_domain FROM transform.order_header ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) shops.Add(reader.GetString(0));
        return [.. shops];
    }

    /// <summary>The day after the shop's last processed day, or its first order's day; null for a shop without orders.</summary>
    private async Task<DateOnly?> NextDay(NpgsqlConnection connection, string shop, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT COALESCE((SELECT max(date) + 1 FROM transform.integration_usage_daily WHERE shop_domain = @shop),
                            (SELECT (min(created_at) AT TIME ZONE @tz)::date FROM transform.order_header WHERE shop_domain = @shop AND NOT is_test))
            """, connection);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(shop));
        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            DateOnly day => day,
            DateTime day => DateOnly.FromDateTime(day),
            _ => null,
        };
    }

    private static async Task<long> Write(NpgsqlConnection connection, List<(string Shop, DateOnly Date, int Orders)> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return 0;
        await using var command = new NpgsqlCommand("""
            INSERT INTO transform.integration_usage_daily (shop_domain, date, orders, refreshed_at)
            SELECT * , now() FROM unnest(@shops, @dates, @orders)
            ON CONFLICT (shop_domain, date) DO UPDATE SET orders = EXCLUDED.orders, refreshed_at = EXCLUDED.refreshed_at
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("shops", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Shop).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("dates", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = rows.Select(r => r.Date).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("orders", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.Orders).ToArray() });
        var written = await command.ExecuteNonQueryAsync(cancellationToken);
        rows.Clear();
        return written;
    }
}

/// <summary>Rebuilds <c>rolling_30d_stats</c> of every shop whole, in one transaction (definitions in rolling_30d.sql).</summary>
public sealed class Rolling30dRefresher(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly string Sql = SqlScripts.Read("rolling_30d.sql");

    public Task<long> Refresh(CancellationToken cancellationToken) =>
        SqlScripts.Replace(dataSource, "SELECT pg_advisory_xact_lock(hashtext('rolling_30d')); DELETE FROM transform.rolling_30d_stats", Sql,
            parameters => parameters.AddWithValue("now", clock.GetUtcNow()), cancellationToken);
}

/// <summary>
/// Measures each product of a shop on a day (measurements.sql) into <c>measurement.sales</c> and
/// <c>measurement.performance</c>, and writes both as JSONL to the object store under
/// <c>measurement/{sales|performance}/{shop}/{yyyy}/{MM}/{dd}.jsonl</c>; re-running a day replaces both.
/// </summary>
public sealed class MeasurementRefresher(NpgsqlDataSource dataSource, ObjectStore store)
{
    private static readonly string Sql = SqlScripts.Read("measurements.sql");
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The measurement tables exported to the archive, each under <c>measurement/{table}/{shop}/</c>.</summary>
    public static readonly string[] ExportedTables = ["sales", "performance"];

    public static string KeyOf(string table, string shop, DateOnly day) => $"measurement/{table}/{shop}/{day:yyyy}/{day:MM}/{day:dd}.jsonl";

    /// <summary>Returns the product rows measured.</summary>
    public async Task<long> Refresh(string shop, DateOnly day, CancellationToken cancellationToken)
    {
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using var measure = new NpgsqlCommand(Sql, connection, transaction) { CommandTimeout = SqlScripts.CommandTimeoutSeconds };
            measure.Parameters.AddWithValue("shop", shop);
            measure.Parameters.AddWithValue("day", day);
            await measure.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        var products = await Export(ExportedTables[0], shop, day, cancellationToken);
        await Export(ExportedTables[1], shop, day, cancellationToken);
        return products;
    }

    private async Task<long> Export(string table, string shop, DateOnly day, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT * FROM measurement.{table} WHERE shop_domain = @shop AND measured_on = @day ORDER BY product_id");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("day", day);
        var jsonl = new StringBuilder();
        long rows = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>(reader.FieldCount);
                for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                jsonl.Append(JsonSerializer.Serialize(row, Json)).Append('\n');
                rows++;
            }
        }
        await store.PutText(KeyOf(table, shop, day), jsonl.ToString(), "application/jsonl", cancellationToken);
        return rows;
    }
}
