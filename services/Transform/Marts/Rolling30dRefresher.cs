using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Rebuilds <c>rolling_30d_stats</c> and <c>sending_stats_30d</c> of every shop whole, in one transaction (definitions in rolling_30d.sql).
/// </summary>
public sealed class Rolling30dRefresher(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private static readonly string Sql = SqlScripts.Read("rolling_30d.sql");

    public Task<long> Refresh(CancellationToken cancellationToken) =>
        SqlScripts.Replace(dataSource,
            "SELECT pg_advisory_xact_lock(hashtext('rolling_30d')); DELETE FROM transform.rolling_30d_stats; DELETE FROM transform.sending_stats_30d", Sql,
            parameters => parameters.AddWithValue("now", clock.GetUtcNow()), cancellationToken);
}
