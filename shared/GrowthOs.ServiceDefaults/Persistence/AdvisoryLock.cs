using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

/// <summary>
/// PostgreSQL advisory locks on names, the only way the system takes one: a name (<c>upsert:{shop}:{entity}</c>,
/// <c>star:{shop}</c>, <c>schema:{schema}</c>, ...) is keyed by <c>hashtextextended(name, 0)</c>, 64 bits, so two
/// names never share a key by accident. A session lock (<see cref="Take(NpgsqlDataSource, string, CancellationToken)"/>)
/// is held until disposed: one holder at a time across every replica, and a holder that dies releases it with its
/// session. A transaction lock (<see cref="TakeForTransaction"/>) ends with its transaction.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>The lock key of the name given as <c>@name</c>.</summary>
    private const string Key = "hashtextextended(@name, 0)";

    private readonly NpgsqlConnection _connection;
    private readonly string _name;
    private readonly bool _ownsConnection;

    private AdvisoryLock(NpgsqlConnection connection, string name, bool ownsConnection) =>
        (_connection, _name, _ownsConnection) = (connection, name, ownsConnection);

    /// <summary>Waits until the lock on <paramref name="name"/> is free, then takes it on a connection of its own.</summary>
    public static async Task<AdvisoryLock> Take(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return await Take(connection, name, cancellationToken, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the lock on <paramref name="name"/> is free, then takes it for the session of
    /// <paramref name="connection"/>, which stays the caller's.
    /// </summary>
    public static Task<AdvisoryLock> Take(NpgsqlConnection connection, string name, CancellationToken cancellationToken) =>
        Take(connection, name, cancellationToken, ownsConnection: false);

    /// <summary>Waits until the lock on <paramref name="name"/> is free, then takes it until <paramref name="transaction"/> ends.</summary>
    public static async Task TakeForTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({Key})", connection, transaction) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<AdvisoryLock> Take(NpgsqlConnection connection, string name, CancellationToken cancellationToken, bool ownsConnection)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new AdvisoryLock(connection, name, ownsConnection);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", _connection);
            command.Parameters.AddWithValue("name", _name);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            // An unlock fails when the connection broke; Npgsql then discards it rather than pool it, and the session, with
            // its lock, ends.
            if (_ownsConnection) await _connection.DisposeAsync();
        }
    }
}
