using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.ServiceDefaults.Connections;

/// <summary>A shop connected at run time, as a service keeps its copy: what it needs to schedule, accept and report the shop.</summary>
public sealed record ShopConnection(
    Guid ConnectionId, string ShopDomain, string Status, string? StatusReason, string? TimeZone, string? CurrencyCode, string Cron,
    IReadOnlyList<string> Entities, DateOnly? HistoryStart, int? LookbackMinutes)
{
    /// <summary>Runs of the shop may start: it is neither paused, failing nor disconnected (a pending one is tried).</summary>
    public bool Syncs => Status is ConnectionStatuses.Active or ConnectionStatuses.Pending;

    /// <summary>The shop's own zone as its check found it (UTC until it was checked, or for a zone this machine does not know).</summary>
    public TimeZoneInfo Zone => TimeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
}

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
    private volatile IReadOnlyDictionary<string, SortedDictionary<string, ShopConnection>> _accounts = new Dictionary<string, SortedDictionary<string, ShopConnection>>();
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
                reader.GetFieldValue<string[]>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8), reader.IsDBNull(9) ? null : reader.GetInt32(9));
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

/// <summary>Keeps the service's copy of every connection the Connector's registry announces.</summary>
public sealed class ConnectionCopyConsumer(ShopConnections shops) :
    IConsumer<ConnectionConnected>, IConsumer<ConnectionSettingsChanged>, IConsumer<ConnectionPaused>, IConsumer<ConnectionResumed>,
    IConsumer<ConnectionDisconnected>
{
    public Task Consume(ConsumeContext<ConnectionConnected> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionSettingsChanged> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionPaused> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionResumed> context) => shops.Keep(context.Message.Connection, context.CancellationToken);

    public Task Consume(ConsumeContext<ConnectionDisconnected> context) => shops.Keep(context.Message.Connection, context.CancellationToken);
}

public static class ShopConnectionsRegistration
{
    /// <summary>The service's copy of the connections (after <c>AddPostgres</c>); its bus takes <see cref="AddConnectionCopy"/>.</summary>
    public static WebApplicationBuilder AddShopConnections(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ShopConnections>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<ShopConnections>());
        return builder;
    }

    /// <summary>
    /// The consumer that keeps the copy, on a queue of the service's own (<c>{service}-connection-copy</c>): every service
    /// hears every event, rather than the services sharing one queue.
    /// </summary>
    public static void AddConnectionCopy(this IBusRegistrationConfigurator bus, string service) =>
        bus.AddConsumer<ConnectionCopyConsumer>().Endpoint(endpoint => endpoint.Name = $"{service}-connection-copy");

    /// <summary>Gives <typeparamref name="TOptions"/> the marketing sources connected to each shop, through <paramref name="connect"/>.</summary>
    public static IServiceCollection UseConnectedSources<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, IReadOnlyList<string>>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().SourcesOf(shop))));

    /// <summary>Gives <typeparamref name="TOptions"/> each shop's account of a provider connected at run time and syncing (else null), through <paramref name="connect"/>.</summary>
    public static IServiceCollection UseConnectedAccounts<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, string, ShopConnection?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, (shop, source) => provider.GetRequiredService<ShopConnections>().AccountOf(shop, source))));

    /// <summary>Gives <typeparamref name="TOptions"/> each shop's connection (null for a shop not connected), through <paramref name="connect"/>.</summary>
    public static IServiceCollection UseConnectedShops<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, ShopConnection?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().Of(shop))));

    /// <summary>
    /// Gives <typeparamref name="TOptions"/> the shops' own time zones as their connections' checks found them (a zone this
    /// machine knows, else null), through
    /// <paramref name="connect"/>: a connected shop reports in its own zone, and the settings' zones serve only the shops
    /// of the settings.
    /// </summary>
    public static IServiceCollection UseConnectedTimeZones<TOptions>(this IServiceCollection services, Action<TOptions, Func<string, string?>> connect)
        where TOptions : class =>
        services.AddSingleton<IPostConfigureOptions<TOptions>>(provider => new PostConfigureOptions<TOptions>(Options.DefaultName,
            options => connect(options, shop => provider.GetRequiredService<ShopConnections>().TimeZoneOf(shop))));
}
