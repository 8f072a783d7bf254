using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

/// <summary>
/// A PostgreSQL session advisory lock on a name, held on a connection of its own until disposed: one holder at a time
/// across every replica; a holder that dies releases it with its session.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _name;

    private AdvisoryLock(NpgsqlConnection connection, string name) => (_connection, _name) = (connection, name);

    /// <summary>Waits until the lock on <paramref name="name"/> is free, then takes it.</summary>
    public static async Task<AdvisoryLock> Take(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@name, 0))", connection) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("name", name);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new AdvisoryLock(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@name, 0))", _connection);
            command.Parameters.AddWithValue("name", _name);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            // An unlock fails when the connection broke; Npgsql then discards it rather than pool it, and the session, with
            // its lock, ends.
            await _connection.DisposeAsync();
        }
    }
}
