using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>
/// A service's own copy of the Connector's registry of connections (<c>{schema}.connection_copy</c>, kept from the
/// registry's events), read again by every replica every <see cref="RefreshInterval"/>: a shop connected, paused,
/// checked or disconnected is known to every replica within a second of its event, without a restart. The newest
/// version of a connection wins, whatever order its events arrive in.
/// </summary>
public sealed class ShopConnections(NpgsqlDataSource dataSource, SchemaMigrations migrations, ILogger<ShopConnections> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private volatile IReadOnlyDictionary<string, ShopConnection> _shops = new Dictionary<string, ShopConnection>();
    /// <summary>Each shop's accounts connected at run time and syncing, by provider (ordinal order).</summary>
    private volatile IReadOnlyDictionary<string, SortedDictionary<string, ShopConnection>> _accounts =
        new Dictionary<string, SortedDictionary<string, ShopConnection>>();
    private volatile bool _tableReady;

    private string Table => $"{migrations.Schema}.connection_copy";

    /// <summary>Every shop's Shopify connection that is not disconnected, by domain (lower case); its accounts' are in <see cref="SourcesOf"/>.</summary>
    public IReadOnlyDictionary<string, ShopConnection> Shops => _shops;

    public ShopConnection? Of(string shop) => _shops.GetValueOrDefault(shop.Trim().ToLowerInvariant());

    /// <summary>The shops with an account connected at run time that syncs, whether or not the shop itself is connected.</summary>
    public IEnumerable<string> ShopsWithAccounts => _accounts.Keys;

    /// <summary>The marketing sources whose accounts are connected to the shop and sync (not paused, failing or disconnected).</summary>
    public IReadOnlyList<string> SourcesOf(string shop) =>
        _accounts.GetValueOrDefault(shop.Trim().ToLowerInvariant()) is { } accounts ? [.. accounts.Keys] : [];

    /// <summary>The shop's account with <paramref name="provider"/> connected at run time and syncing, with its own schedule; else null.</summary>
    public ShopConnection? AccountOf(string shop, string provider) => _accounts.GetValueOrDefault(shop.Trim().ToLowerInvariant())?.GetValueOrDefault(provider);

    /// <summary>The shop's own time zone as its connection's check found it, when this machine knows it; else null.</summary>
    public string? TimeZoneOf(string shop) => Of(shop)?.TimeZone is { } zone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _) ? zone : null;

    /// <summary>Keeps <paramref name="connection"/> unless a newer version of it is kept already.</summary>
    public async Task Keep(ConnectionSnapshot connection, CancellationToken cancellationToken)
    {
        await EnsureTable(cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {Table} (connection_id, shop_domain, provider, account, status, status_reason, time_zone, currency_code, cron, entities,
                history_start, lookback_minutes, version, changed_at)
            VALUES (@id, @shop, @provider, @account, @status, @reason, @zone, @currency, @cron, @entities, @history, @lookback, @version, @changed)
            ON CONFLICT (connection_id) DO UPDATE SET shop_domain = EXCLUDED.shop_domain, provider = EXCLUDED.provider, account = EXCLUDED.account,
                status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, time_zone = EXCLUDED.time_zone, currency_code = EXCLUDED.currency_code,
                cron = EXCLUDED.cron, entities = EXCLUDED.entities, history_start = EXCLUDED.history_start, lookback_minutes = EXCLUDED.lookback_minutes,
                version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
            WHERE {Table}.version < EXCLUDED.version
            """);
        command.Parameters.AddWithValue("id", connection.ConnectionId);
        command.Parameters.AddWithValue("shop", connection.ShopDomain.Trim().ToLowerInvariant());
        command.Parameters.AddWithValue("provider", connection.Provider);
        command.Parameters.AddWithValue("account", connection.Account);
        command.Parameters.AddWithValue("status", connection.Status);
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)connection.StatusReason ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("zone", NpgsqlDbType.Text) { Value = (object?)connection.TimeZone ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("currency", NpgsqlDbType.Text) { Value = (object?)connection.CurrencyCode ?? DBNull.Value });
        command.Parameters.AddWithValue("cron", connection.Cron);
        command.Parameters.AddWithValue("entities", connection.Entities.ToArray());
        command.Parameters.Add(new NpgsqlParameter("history", NpgsqlDbType.Date) { Value = (object?)connection.HistoryStart ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("lookback", NpgsqlDbType.Integer) { Value = (object?)connection.LookbackMinutes ?? DBNull.Value });
        command.Parameters.AddWithValue("version", connection.Version);
        command.Parameters.AddWithValue("changed", connection.ChangedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await Refresh(cancellationToken);
    }

    public async Task Refresh(CancellationToken cancellationToken)
    {
        await EnsureTable(cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            SELECT connection_id, shop_domain, status, status_reason, time_zone, currency_code, cron, entities, history_start, lookback_minutes, provider
            FROM {Table} WHERE status <> '{ConnectionStatuses.Disconnected}' AND shop_domain <> ''
            """);
        var shops = new Dictionary<string, ShopConnection>();
        var accounts = new Dictionary<string, SortedDictionary<string, ShopConnection>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var connection = new ShopConnection(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Text(3), Text(4), Text(5), reader.GetString(6),
                reader.GetFieldValue<string[]>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
                reader.IsDBNull(9) ? null : reader.GetInt32(9));
            var provider = reader.GetString(10);
            if (provider == ConnectionProviders.Shopify) shops[connection.ShopDomain] = connection;
            else if (connection.Syncs)
            {
                if (!accounts.TryGetValue(connection.ShopDomain, out var ofShop)) accounts[connection.ShopDomain] = ofShop = new(StringComparer.Ordinal);
                ofShop[provider] = connection;
            }
        }
        _shops = shops;
        _accounts = accounts;
    }

    /// <summary>The copy's table, made by whichever replica comes first (its schema is the service's, made by its migrations).</summary>
    private async Task EnsureTable(CancellationToken cancellationToken)
    {
        if (_tableReady) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (await AdvisoryLock.Take(connection, $"connection-copy:{migrations.Schema}", cancellationToken))
        await using (var command = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS {Table} (
                connection_id    uuid        PRIMARY KEY,
                shop_domain      text        NOT NULL,
                provider         text        NOT NULL,
                account          text        NOT NULL,
                status           text        NOT NULL,
                status_reason    text,
                time_zone        text,
                currency_code    text,
                cron             text        NOT NULL,
                entities         text[]      NOT NULL DEFAULT ARRAY[]::text[],
                history_start    date,
                lookback_minutes integer,
                version          bigint      NOT NULL,
                changed_at       timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS connection_copy_shop ON {Table} (shop_domain);
            """, connection))
            await command.ExecuteNonQueryAsync(cancellationToken);
        _tableReady = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        do
        {
            try
            {
                await Refresh(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not read the connected shops again; keeping the last read: {Error}", exception.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
