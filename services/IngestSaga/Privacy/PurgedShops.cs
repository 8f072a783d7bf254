using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace GrowthOs.IngestSaga.Privacy;

/// <summary>
/// The shops purged, each known only by the SHA-256 of its domain (<c>ingest.purged_shop</c>): a request sent before its
/// shop's purge is one to drop; a shop connected again is synced by the requests sent since.
/// </summary>
public static class PurgedShops
{
    public static string Hash(string shop) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shop.Trim().ToLowerInvariant())));

    /// <summary>Remembers the purge of <paramref name="shop"/> at <paramref name="at"/> (the latest of its purges).</summary>
    public static async Task Remember(NpgsqlDataSource dataSource, string shop, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.purged_shop (shop_sha256, purged_at) VALUES (@hash, @at)
            ON CONFLICT (shop_sha256) DO UPDATE SET purged_at = greatest(ingest.purged_shop.purged_at, EXCLUDED.purged_at)
            """);
        command.Parameters.AddWithValue("hash", Hash(shop));
        command.Parameters.AddWithValue("at", at.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether <paramref name="shop"/> was purged at or after <paramref name="sentAt"/>.</summary>
    public static async Task<bool> PurgedSince(NpgsqlDataSource dataSource, string shop, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM ingest.purged_shop WHERE shop_sha256 = @hash AND purged_at >= @sent)");
        command.Parameters.AddWithValue("hash", Hash(shop));
        command.Parameters.AddWithValue("sent", sentAt.UtcDateTime);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
