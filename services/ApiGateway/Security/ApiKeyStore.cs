using System.Security.Cryptography;
using Npgsql;

namespace GrowthOs.ApiGateway.Security;

/// <summary>
/// The keys made at run time (<c>gateway.api_key</c>) beside the ones of the settings, which bootstrap a deployment.
/// Every replica reads the live ones again every <see cref="RefreshInterval"/>, so a key revoked on one is refused by
/// all within a second; the replica that made or revoked a key knows it at once.
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource, ILogger<ApiKeyStore> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    private volatile IReadOnlyList<StoredApiKey> _live = [];

    /// <summary>The live keys made at run time, as last read.</summary>
    public IReadOnlyList<StoredApiKey> Live => _live;

    /// <summary>
    /// Makes a key: returns it (shown once, to its maker) and keeps only its salted hash; null when a key of that id was
    /// ever made (a revoked id is not given again).
    /// </summary>
    public async Task<string?> Create(string id, string role, IReadOnlyList<string> shops, string createdBy, CancellationToken cancellationToken)
    {
        var key = "gos_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var salt = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var sha256 = Convert.ToHexStringLower(ApiKeyAuthenticationHandler.Hash(salt, key));
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.api_key (key_id, role, salt, sha256, shops, created_by) VALUES (@id, @role, @salt, @sha, @shops, @by)
            ON CONFLICT (key_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("salt", salt);
        command.Parameters.AddWithValue("sha", sha256);
        command.Parameters.AddWithValue("shops", shops.ToArray());
        command.Parameters.AddWithValue("by", createdBy);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0) return null;
        await Refresh(cancellationToken);
        return key;
    }

    /// <summary>Revokes a live key made at run time; false when there is none of that id.</summary>
    public async Task<bool> Revoke(string id, string revokedBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE gateway.api_key SET revoked_at = now(), revoked_by = @by WHERE key_id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("by", revokedBy);
        var revoked = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        await Refresh(cancellationToken);
        return revoked;
    }

    public async Task Refresh(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT key_id, role, salt, sha256, shops, created_by, created_at FROM gateway.api_key WHERE revoked_at IS NULL ORDER BY key_id");
        var keys = new List<StoredApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new StoredApiKey(
                new ApiKeyEntry
                {
                    Id = reader.GetString(0), Role = reader.GetString(1), Salt = reader.GetString(2), Sha256 = reader.GetString(3),
                    Shops = [.. reader.GetFieldValue<string[]>(4)],
                },
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        _live = keys;
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
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                // Keys already read stay live; a key revoked meanwhile is refused once the database answers again.
                logger.LogWarning("The API keys made at run time could not be read again: {Error}", exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
