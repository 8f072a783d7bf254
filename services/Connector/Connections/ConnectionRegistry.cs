using System.Text.Json;
using GrowthOs.Contracts.Connections;
using MassTransit;
using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// The registry of connections (<c>connector.connection</c>): every change is a new version of the row and an event
/// (<c>connector.connection_event</c>) written in the same transaction, so no change is lost between the database and
/// the broker and every copy can keep the newest version it heard. Credentials go in sealed and come out only to the
/// Connector's own calls to the provider.
/// </summary>
public sealed class ConnectionRegistry(NpgsqlDataSource dataSource, CredentialCipher cipher, ConnectionEventSignal signal, TimeProvider clock)
{
    private const string Columns = """
        connection_id, shop_domain, provider, account, login_customer_id, status, status_reason, name, currency_code, time_zone, plan, account_status,
        cron, entities, history_start, lookback_minutes, version, updated_at, paused, checked_at, created_by, created_at, credential IS NOT NULL, avoid_hours,
        credential_expires_at
        """;

    /// <summary>Stores a connection its provider answered (or could not be asked): null when the provider and account are already connected.</summary>
    public async Task<ConnectionRecord?> Create(NewConnection connection, Credentials credentials, CheckResult check, string createdBy,
        CancellationToken cancellationToken)
    {
        var id = NewId.NextGuid();
        var sealedCredentials = cipher.Seal(id, connection.Provider, credentials);
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO connector.connection (connection_id, shop_domain, provider, account, login_customer_id, status, status_reason, name, currency_code,
                time_zone, plan, account_status, checked_at, cron, entities, history_start, lookback_minutes, paused, credential_key_id, credential, created_by,
                avoid_hours, credential_expires_at)
            VALUES (@id, @shop, @provider, @account, @login, @status, @reason, @name, @currency, @zone, @plan, @account_status, @checked, @cron, @entities,
                @history, @lookback, @paused, @key, @credential, @by, @avoid, @expires)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """, db, transaction);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("shop", connection.ShopDomain);
        insert.Parameters.AddWithValue("provider", connection.Provider);
        insert.Parameters.AddWithValue("account", connection.Account);
        insert.Parameters.Add(new NpgsqlParameter("login", NpgsqlDbType.Text) { Value = (object?)connection.LoginCustomerId ?? DBNull.Value });
        AddCheck(insert, check);
        insert.Parameters.AddWithValue("checked", clock.GetUtcNow());
        insert.Parameters.AddWithValue("cron", connection.Cron);
        insert.Parameters.AddWithValue("entities", connection.Entities.ToArray());
        insert.Parameters.Add(new NpgsqlParameter("history", NpgsqlDbType.Date) { Value = (object?)connection.HistoryStart ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter("lookback", NpgsqlDbType.Integer) { Value = (object?)connection.LookbackMinutes ?? DBNull.Value });
        insert.Parameters.AddWithValue("paused", connection.Paused);
        insert.Parameters.AddWithValue("key", sealedCredentials.KeyId);
        insert.Parameters.AddWithValue("credential", sealedCredentials.Sealed);
        insert.Parameters.AddWithValue("by", createdBy);
        insert.Parameters.AddWithValue("avoid", (connection.AvoidHours ?? []).ToArray());
        AddExpiry(insert, credentials);
        var created = await ReadOne(insert, cancellationToken);
        if (created is null) return null;
        await WriteEvent(db, transaction, NewId.NextGuid(), created.Snapshot.ConnectionId, created.Snapshot.ShopDomain,
            new ConnectionConnected(created.Snapshot), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Raise();
        return created;
    }

    public async Task<ConnectionRecord?> Get(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM connector.connection WHERE connection_id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadOne(command, cancellationToken);
    }

    /// <summary>The connections of <paramref name="shops"/> (every shop when empty), disconnected ones only when asked for.</summary>
    public async Task<IReadOnlyList<ConnectionRecord>> List(IReadOnlyList<string> shops, bool withDisconnected, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM connector.connection
            WHERE (cardinality(@shops) = 0 OR shop_domain = ANY(@shops)) AND (@all OR status <> 'disconnected')
            ORDER BY shop_domain, provider, account, created_at
            """);
        command.Parameters.AddWithValue("shops", shops.ToArray());
        command.Parameters.AddWithValue("all", withDisconnected);
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>The live (not disconnected) connection of <paramref name="provider"/> and <paramref name="account"/>, or null: there is one at most.</summary>
    public async Task<ConnectionRecord?> Live(string provider, string account, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM connector.connection WHERE provider = @provider AND account = @account AND status <> 'disconnected'");
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("account", account);
        return await ReadOne(command, cancellationToken);
    }

    /// <summary>Every connection of the shop that is not disconnected: the shop's own and its accounts'.</summary>
    public async Task<IReadOnlyList<ConnectionRecord>> LiveOfShop(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM connector.connection WHERE shop_domain = @shop AND status <> 'disconnected'");
        command.Parameters.AddWithValue("shop", shop);
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>
    /// The shop's connection of <paramref name="provider"/> that its calls may use (active, or pending a check) with its
    /// credentials; null when it has none, or none with credentials.
    /// </summary>
    public async Task<(ConnectionRecord Connection, Credentials Credentials)?> UsableOf(string shop, string provider, CancellationToken cancellationToken)
    {
        var live = (await LiveOfShop(shop, cancellationToken))
            .FirstOrDefault(c => c.Snapshot.Provider == provider && c.Snapshot.Status is ConnectionStatuses.Active or ConnectionStatuses.Pending);
        return live is not null && await CredentialsOf(live.Snapshot.ConnectionId, cancellationToken) is { } credentials ? (live, credentials) : null;
    }

    /// <summary>The live connections due a check again: left pending by a provider that could not be asked.</summary>
    public async Task<IReadOnlyList<ConnectionRecord>> Pending(TimeSpan checkedBefore, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM connector.connection
            WHERE status = 'pending' AND credential IS NOT NULL AND (checked_at IS NULL OR checked_at < @before)
            ORDER BY checked_at NULLS FIRST LIMIT 100
            """);
        command.Parameters.AddWithValue("before", clock.GetUtcNow() - checkedBefore);
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>The connections still taken as good whose credential has lapsed: they turn failing, saying so.</summary>
    public async Task<IReadOnlyList<ConnectionRecord>> Lapsed(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM connector.connection
            WHERE status IN ('active', 'pending') AND credential IS NOT NULL AND credential_expires_at <= @now
            ORDER BY credential_expires_at LIMIT 100
            """);
        command.Parameters.AddWithValue("now", clock.GetUtcNow());
        return await ReadAll(command, cancellationToken);
    }

    /// <summary>The credentials of the live connection of <paramref name="provider"/> and <paramref name="account"/>, or null.</summary>
    public async Task<(Guid ConnectionId, Credentials Credentials)?> CredentialsOf(string provider, string account, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT connection_id, credential_key_id, credential FROM connector.connection
            WHERE provider = @provider AND lower(account) = lower(@account) AND status <> 'disconnected' AND credential IS NOT NULL
            """);
        command.Parameters.AddWithValue("provider", provider);
        command.Parameters.AddWithValue("account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var id = reader.GetGuid(0);
        return (id, cipher.Open(id, provider, new SealedCredentials(reader.GetString(1), reader.GetFieldValue<byte[]>(2))));
    }

    public async Task<Credentials?> CredentialsOf(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT provider, credential_key_id, credential FROM connector.connection WHERE connection_id = @id AND credential IS NOT NULL");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return cipher.Open(id, reader.GetString(0), new SealedCredentials(reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
    }

    /// <summary>Keeps what the provider answered; an event only when something an other service keeps changed.</summary>
    public Task<ConnectionRecord?> RecordCheck(Guid id, CheckResult check, CancellationToken cancellationToken) => Change(id, """
        UPDATE connector.connection SET status = @status, status_reason = @reason,
            name = coalesce(@name, name), currency_code = coalesce(@currency, currency_code), time_zone = coalesce(@zone, time_zone),
            plan = coalesce(@plan, plan), account_status = coalesce(@account_status, account_status), checked_at = now(),
            version = version + 1, updated_at = now()
        WHERE connection_id = @id AND status <> 'disconnected'
        """, command => AddCheck(command, check), snapshot => new ConnectionSettingsChanged(snapshot), cancellationToken);

    /// <summary>Replaces the credentials (a new token given, or a refreshed one) and what their check found.</summary>
    public async Task<ConnectionRecord?> Replace(Guid id, string provider, Credentials credentials, CheckResult check, CancellationToken cancellationToken)
    {
        var sealedCredentials = cipher.Seal(id, provider, credentials);
        return await Change(id, """
            UPDATE connector.connection SET status = @status, status_reason = @reason,
                name = coalesce(@name, name), currency_code = coalesce(@currency, currency_code), time_zone = coalesce(@zone, time_zone),
                plan = coalesce(@plan, plan), account_status = coalesce(@account_status, account_status), checked_at = now(),
                credential_key_id = @key, credential = @credential, credential_expires_at = @expires, version = version + 1, updated_at = now()
            WHERE connection_id = @id AND status <> 'disconnected'
            """, command =>
        {
            AddCheck(command, check);
            AddExpiry(command, credentials);
            command.Parameters.AddWithValue("key", sealedCredentials.KeyId);
            command.Parameters.AddWithValue("credential", sealedCredentials.Sealed);
        }, snapshot => new ConnectionSettingsChanged(snapshot), cancellationToken);
    }

    public Task<ConnectionRecord?> ChangeSettings(Guid id, SettingsChange change, CancellationToken cancellationToken) => Change(id, """
        UPDATE connector.connection SET cron = coalesce(@cron, cron), entities = coalesce(@entities, entities),
            history_start = coalesce(@history, history_start), lookback_minutes = coalesce(@lookback, lookback_minutes),
            avoid_hours = coalesce(@avoid, avoid_hours), version = version + 1, updated_at = now()
        WHERE connection_id = @id AND status <> 'disconnected'
        """, command =>
    {
        command.Parameters.Add(new NpgsqlParameter("cron", NpgsqlDbType.Text) { Value = (object?)change.Cron ?? DBNull.Value });
        command.Parameters.Add(
            new NpgsqlParameter("entities", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)change.Entities?.ToArray() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("history", NpgsqlDbType.Date) { Value = (object?)change.HistoryStart ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("lookback", NpgsqlDbType.Integer) { Value = (object?)change.LookbackMinutes ?? DBNull.Value });
        command.Parameters.Add(
            new NpgsqlParameter("avoid", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = (object?)change.AvoidHours?.ToArray() ?? DBNull.Value });
    }, snapshot => new ConnectionSettingsChanged(snapshot), cancellationToken);

    public Task<ConnectionRecord?> Pause(Guid id, bool paused, CancellationToken cancellationToken) => Change(id, """
        UPDATE connector.connection SET paused = @paused, version = version + 1, updated_at = now()
        WHERE connection_id = @id AND status <> 'disconnected' AND paused <> @paused
        """, command => command.Parameters.AddWithValue("paused", paused),
        snapshot => paused ? new ConnectionPaused(snapshot) : new ConnectionResumed(snapshot), cancellationToken);

    /// <summary>Disconnects a connection and destroys its credentials; null when it is unknown or already disconnected.</summary>
    public Task<ConnectionRecord?> Disconnect(Guid id, string reason, CancellationToken cancellationToken) => Change(id, """
        UPDATE connector.connection SET status = 'disconnected', status_reason = @reason, credential = NULL, credential_key_id = NULL,
            credential_expires_at = NULL, version = version + 1, updated_at = now()
        WHERE connection_id = @id AND status <> 'disconnected'
        """, command => command.Parameters.AddWithValue("reason", reason), snapshot => new ConnectionDisconnected(snapshot), cancellationToken);

    /// <summary>Seals again under the active key up to <paramref name="batch"/> credentials sealed under another; returns how many.</summary>
    public async Task<int> Reseal(int batch, CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var rows = new List<(Guid Id, string Provider, SealedCredentials Sealed)>();
        await using (var select = new NpgsqlCommand("""
            SELECT connection_id, provider, credential_key_id, credential FROM connector.connection
            WHERE credential IS NOT NULL AND credential_key_id <> @active
            LIMIT @batch FOR UPDATE SKIP LOCKED
            """, db, transaction))
        {
            select.Parameters.AddWithValue("active", cipher.ActiveKeyId);
            select.Parameters.AddWithValue("batch", batch);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add((reader.GetGuid(0), reader.GetString(1), new SealedCredentials(reader.GetString(2), reader.GetFieldValue<byte[]>(3))));
        }
        var resealed = 0;
        foreach (var (id, provider, old) in rows)
        {
            if (!cipher.Knows(old.KeyId)) continue;
            var renewed = cipher.Seal(id, provider, cipher.Open(id, provider, old));
            await using var update = new NpgsqlCommand(
                "UPDATE connector.connection SET credential_key_id = @key, credential = @credential WHERE connection_id = @id", db, transaction);
            update.Parameters.AddWithValue("key", renewed.KeyId);
            update.Parameters.AddWithValue("credential", renewed.Sealed);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(cancellationToken);
            resealed++;
        }
        await transaction.CommitAsync(cancellationToken);
        return resealed;
    }

    private async Task<ConnectionRecord?> Change(Guid id, string update, Action<NpgsqlCommand> parameters, Func<ConnectionSnapshot, IConnectionEvent> raise,
        CancellationToken cancellationToken)
    {
        await using var db = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"{update} RETURNING {Columns}", db, transaction);
        command.Parameters.AddWithValue("id", id);
        parameters(command);
        var changed = await ReadOne(command, cancellationToken);
        if (changed is null) return null;
        await WriteEvent(db, transaction, NewId.NextGuid(), changed.Snapshot.ConnectionId, changed.Snapshot.ShopDomain, raise(changed.Snapshot),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        signal.Raise();
        return changed;
    }

    /// <summary>When the credential itself lapses: a token's own expiry, not that of the access token a refresh token renews.</summary>
    private static void AddExpiry(NpgsqlCommand command, Credentials credentials) =>
        command.Parameters.Add(new NpgsqlParameter("expires", NpgsqlDbType.TimestampTz)
        {
            Value = credentials.RefreshToken is null && credentials.ExpiresAt is { } expires ? expires : DBNull.Value,
        });

    private static void AddCheck(NpgsqlCommand command, CheckResult check)
    {
        command.Parameters.AddWithValue("status", check.Status);
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)check.Reason ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = (object?)check.Name ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("currency", NpgsqlDbType.Text) { Value = (object?)check.CurrencyCode ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("zone", NpgsqlDbType.Text) { Value = (object?)check.TimeZone ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("plan", NpgsqlDbType.Text) { Value = (object?)check.Plan ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("account_status", NpgsqlDbType.Text) { Value = (object?)check.AccountStatus ?? DBNull.Value });
    }

    /// <summary>Writes an event of the registry's outbox (<c>connector.connection_event</c>) in the transaction of the change it tells of.</summary>
    internal static async Task WriteEvent(NpgsqlConnection db, NpgsqlTransaction transaction, Guid eventId, Guid connectionId, string shop, object message,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO connector.connection_event (event_id, connection_id, shop_domain, message_type, body)
            VALUES (@event, @connection, @shop, @type, @body::jsonb)
            """, db, transaction);
        command.Parameters.AddWithValue("event", eventId);
        command.Parameters.AddWithValue("connection", connectionId);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("type", message.GetType().Name);
        command.Parameters.AddWithValue("body", JsonSerializer.Serialize(message, message.GetType(), JsonSerializerOptions.Web));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<ConnectionRecord?> ReadOne(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await ReadAll(command, cancellationToken)).FirstOrDefault();

    private static async Task<IReadOnlyList<ConnectionRecord>> ReadAll(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<ConnectionRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var paused = reader.GetBoolean(18);
            var status = reader.GetString(5);
            var snapshot = new ConnectionSnapshot(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Text(4),
                paused && status != ConnectionStatuses.Disconnected ? ConnectionStatuses.Paused : status, Text(6), Text(7), Text(8), Text(9), Text(10),
                Text(11), reader.GetString(12), reader.GetFieldValue<string[]>(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateOnly>(14), reader.IsDBNull(15) ? null : reader.GetInt32(15),
                reader.GetInt64(16), reader.GetFieldValue<DateTimeOffset>(17));
            records.Add(new ConnectionRecord(snapshot, paused, reader.IsDBNull(19) ? null : reader.GetFieldValue<DateTimeOffset>(19), reader.GetString(20),
                reader.GetFieldValue<DateTimeOffset>(21), reader.GetBoolean(22), reader.GetFieldValue<int[]>(23),
                reader.IsDBNull(24) ? null : reader.GetFieldValue<DateTimeOffset>(24)));
        }
        return records;
    }
}
