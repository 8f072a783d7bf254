using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Privacy;

/// <summary>
/// What every service does with a shop's purge: its own statements first (the tables a shop's rows are found in by a run
/// id or a key rather than by the shop's domain), then every row of every table of its schemas whose <c>shop_domain</c>
/// names the shop, in one transaction; its copies of the shop's connections become tombstones (no shop, the highest
/// version), so that a connection event still on its way cannot bring the shop back. A table added later with a
/// <c>shop_domain</c> column is swept without a change here. Returns the rows removed by table.
/// </summary>
public static class ShopPurge
{
    public const string CopyTable = "connection_copy";

    public static async Task<Dictionary<string, long>> RemoveRows(NpgsqlDataSource dataSource, IReadOnlyList<string> schemas, ShopPurgeRequested purge,
        IReadOnlyList<PurgeStatement> statements, CancellationToken cancellationToken)
    {
        var shop = purge.ShopDomain;
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var statement in statements) Add(removed, statement.Table, await Execute(connection, transaction, statement.Sql, shop, cancellationToken));

        var tables = new List<(string Schema, string Table)>();
        await using (var select = new NpgsqlCommand("""
            SELECT c.table_schema, c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = ANY(@schemas) AND c.column_name = 'shop_domain'
            ORDER BY c.table_schema, c.table_name
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("schemas", schemas.ToArray());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) tables.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (schema, table) in tables.Where(t => t.Table == CopyTable))
        {
            // Each connection the shop had is a tombstone in the copy, whether its row has come yet or not.
            await using var tombstones = new NpgsqlCommand($"""
                INSERT INTO {schema}.{table} (connection_id, shop_domain, provider, account, status, cron, version, changed_at)
                SELECT id, '', '', '', '{ConnectionStatuses.Disconnected}', '', {long.MaxValue}, now() FROM unnest(@ids) AS id
                ON CONFLICT (connection_id) DO NOTHING
                """, connection, transaction);
            tombstones.Parameters.AddWithValue("ids", (purge.ConnectionIds ?? []).ToArray());
            await tombstones.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (schema, table) in tables)
        {
            var sql = table == CopyTable
                ? $"""
                   UPDATE {schema}.{table} SET shop_domain = '', account = '', status = '{ConnectionStatuses.Disconnected}', status_reason = NULL,
                       time_zone = NULL, currency_code = NULL, version = {long.MaxValue} WHERE shop_domain = @shop
                   """
                : $"DELETE FROM {schema}.{table} WHERE shop_domain = @shop";
            Add(removed, $"{schema}.{table}", await Execute(connection, transaction, sql, shop, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>
    /// Removes every archived object under each of the shop's folders, named <c>{path}{shop}/</c>; adds their count to
    /// <paramref name="removed"/> as <c>objects:{path}{shop}/</c>, the words <c>{shop}</c> standing for the shop.
    /// </summary>
    public static async Task RemoveObjects(ObjectStore store, string shop, IEnumerable<string> paths, Dictionary<string, long> removed,
        CancellationToken cancellationToken)
    {
        foreach (var path in paths) Add(removed, $"objects:{path}{{shop}}/", await store.DeletePrefix($"{path}{shop}/", cancellationToken));
    }

    /// <summary>The service's answer: what it removed (nothing is said of a table that held no row of the shop).</summary>
    public static async Task Answer(ConsumeContext<ShopPurgeRequested> context, string service, Dictionary<string, long> removed, ILogger logger)
    {
        var message = context.Message;
        var kept = removed.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        logger.LogInformation("Purge {PurgeId}: removed {Rows} rows and {Objects} archived objects ({Reason})", message.PurgeId,
            kept.Where(r => !IsObjects(r.Key)).Sum(r => r.Value), kept.Where(r => IsObjects(r.Key)).Sum(r => r.Value), message.Reason);
        await context.Publish(new ShopPurged(message.PurgeId, service, kept, DateTimeOffset.UtcNow), context.CancellationToken);
    }

    /// <summary>Whether a count of a purge's answer is of archived objects (<c>objects:{prefix}</c>) rather than of rows.</summary>
    public static bool IsObjects(string key) => key.StartsWith("objects:", StringComparison.Ordinal);

    private static async Task<long> Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string shop,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("shop", shop);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(Dictionary<string, long> removed, string key, long count) => removed[key] = removed.GetValueOrDefault(key) + count;
}
