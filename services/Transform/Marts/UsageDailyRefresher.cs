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
