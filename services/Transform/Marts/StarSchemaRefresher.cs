using GrowthOs.ServiceDefaults.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>
/// Refreshes the star schema of a shop for a range of reporting days: the days' facts whole (star_stage_days.sql,
/// star_members.sql, star_clear_days.sql, star_line_facts.sql, star_daily_days.sql), or, after a sync that changed under
/// <see cref="MartsOptions.StarChangedShare"/> of the days' orders, the facts of the orders it changed and the daily
/// facts of their days (star_stage_run.sql, star_members.sql, star_clear_run.sql, star_line_facts.sql,
/// star_daily_run.sql). Tables in 007_star_schema.sql.
/// </summary>
public sealed class StarSchemaRefresher(NpgsqlDataSource dataSource, IOptions<MartsOptions> options)
{
    private static readonly string Days = Scripts("star_stage_days", "star_members", "star_clear_days", "star_line_facts", "star_daily_days");

    private static readonly string Changed = Scripts("star_stage_run", "star_members", "star_clear_run", "star_line_facts", "star_daily_run");

    private static string Scripts(params string[] names) => string.Concat(names.Select(name => SqlScripts.Read($"{name}.sql")));

    /// <summary>The facts of a refresh from which the fact tables' statistics are taken again at once.</summary>
    public const long AnalyzeAfterFacts = 100_000;

    /// <summary>
    /// Returns the order-line facts of the range. <paramref name="changedBy"/>: the sync whose orders are refreshed, when
    /// few (null: the days whole). A refresh of many facts (a first sync, a backfill) takes the fact tables' statistics
    /// again: until autovacuum does, the planner would plan the checks and reads that follow for the shop's few facts of
    /// before.
    /// </summary>
    public async Task<long> Refresh(string shop, DateOnly from, DateOnly to, CancellationToken cancellationToken, Guid? changedBy = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var facts = await Refresh(connection, transaction, shop, from, to, cancellationToken, changedBy);
        await transaction.CommitAsync(cancellationToken);
        if (facts < AnalyzeAfterFacts) return facts;
        await using var analyze = new NpgsqlCommand("ANALYZE (SKIP_LOCKED) transform.fact_order_line, transform.fact_daily_sales", connection)
        {
            CommandTimeout = SqlScripts.CommandTimeoutSeconds,
        };
        await analyze.ExecuteNonQueryAsync(cancellationToken);
        return facts;
    }

    /// <summary>The same within the caller's transaction (which it commits).</summary>
    public async Task<long> Refresh(NpgsqlConnection connection, NpgsqlTransaction transaction, string shop, DateOnly from, DateOnly to,
        CancellationToken cancellationToken, Guid? changedBy = null)
    {
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"star:{shop}", cancellationToken);
        var timeZone = options.Value.TimeZoneOf(shop);
        var orders = await OrderIdRange.Find(connection, shop, from, to, timeZone, cancellationToken, changedBy);
        var onlyChanged = changedBy is not null && orders.OfRun < orders.Orders * options.Value.StarChangedShare;
        var sql = onlyChanged ? Changed : Days;
        await using (var refresh = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = SqlScripts.CommandTimeoutSeconds })
        {
            refresh.Parameters.AddWithValue("shop", shop);
            refresh.Parameters.AddWithValue("from", from);
            refresh.Parameters.AddWithValue("to", to);
            refresh.Parameters.AddWithValue("tz", timeZone);
            if (onlyChanged) refresh.Parameters.AddWithValue("run", changedBy!.Value);
            else orders.AddTo(refresh.Parameters);
            await refresh.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var count = new NpgsqlCommand("""
            SELECT count(*) FROM transform.fact_order_line f
            WHERE f.shop_key = (SELECT shop_key FROM transform.dim_shop WHERE shop_domain = @shop)
              AND f.date_key BETWEEN to_char(@from::date, 'YYYYMMDD')::int AND to_char(@to::date, 'YYYYMMDD')::int
            """, connection, transaction);
        count.Parameters.AddWithValue("shop", shop);
        count.Parameters.AddWithValue("from", from);
        count.Parameters.AddWithValue("to", to);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
