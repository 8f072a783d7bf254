using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Runs a shop's checks (the commerce ones, or the marketing ones) and stores each outcome in <c>transform.data_quality_result</c>.</summary>
public sealed class DataQualityRunner(NpgsqlDataSource dataSource, IOptions<MartsOptions> options, TimeProvider clock)
{
    /// <summary>
    /// The checks side by side on <see cref="MartsOptions.CheckConnections"/> connections (each check is one read), their
    /// outcomes in the checks' order; of the reporting <paramref name="days"/> only (a run's), or of the whole shop
    /// (<see cref="DataQualityChecks"/>).
    /// </summary>
    public async Task<IReadOnlyList<DataQualityOutcome>> Run(string shop, Guid? runId, CancellationToken cancellationToken,
        IReadOnlyList<DataQualityCheck>? checks = null, (DateOnly From, DateOnly To)? days = null)
    {
        checks ??= DataQualityChecks.All;
        var outcomes = new DataQualityOutcome[checks.Count];
        var checkedAt = clock.GetUtcNow().UtcDateTime;
        var next = -1;
        async Task Worker()
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            // Each check is a single read of one shop's rows: compiling it (PostgreSQL's JIT) took longer than running it.
            await using (var settings = new NpgsqlCommand("SET jit = off", connection)) await settings.ExecuteNonQueryAsync(cancellationToken);
            for (var i = Interlocked.Increment(ref next); i < checks.Count; i = Interlocked.Increment(ref next))
                outcomes[i] = await Check(connection, checks[i], shop, runId, days, checkedAt, cancellationToken);
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(options.Value.CheckConnections, checks.Count)).Select(_ => Worker()));
        return outcomes;
    }

    /// <summary>
    /// The same on the caller's connection, within its transaction if it has one; <paramref name="checks"/> (the
    /// commerce checks by default) are run.
    /// </summary>
    public async Task<IReadOnlyList<DataQualityOutcome>> Run(NpgsqlConnection connection, string shop, Guid? runId, CancellationToken cancellationToken,
        IReadOnlyList<DataQualityCheck>? checks = null)
    {
        var outcomes = new List<DataQualityOutcome>();
        var checkedAt = clock.GetUtcNow().UtcDateTime;
        foreach (var check in checks ?? DataQualityChecks.All) outcomes.Add(await Check(connection, check, shop, runId, null, checkedAt, cancellationToken));
        return outcomes;
    }

    /// <summary>Counts a check's violations and stores the outcome.</summary>
    private async Task<DataQualityOutcome> Check(NpgsqlConnection connection, DataQualityCheck check, string shop, Guid? runId,
        (DateOnly From, DateOnly To)? days, DateTime checkedAt, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(check.Sql, connection);
        count.Parameters.AddWithValue("shop", shop);
        if (check.Sql.Contains("@tz", StringComparison.Ordinal)) count.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(shop));
        if (check.Sql.Contains("@from", StringComparison.Ordinal))
        {
            count.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)days?.From ?? DBNull.Value });
            count.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)days?.To ?? DBNull.Value });
        }
        if (check.Sql.Contains("@rejected_share", StringComparison.Ordinal))
            count.Parameters.AddWithValue("rejected_share", options.Value.MarketingRejectedShare);
        if (check.Sql.Contains("@run", StringComparison.Ordinal))
            count.Parameters.Add(new NpgsqlParameter("run", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)runId ?? DBNull.Value });
        var violations = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));

        await using var save = new NpgsqlCommand("""
            INSERT INTO transform.data_quality_result (run_id, shop_domain, check_name, severity, violations, passed, checked_at)
            VALUES (@run, @shop, @check, @severity, @violations, @passed, @at)
            """, connection);
        save.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        save.Parameters.AddWithValue("shop", shop);
        save.Parameters.AddWithValue("check", check.Name);
        save.Parameters.AddWithValue("severity", check.Severity.ToString().ToLowerInvariant());
        save.Parameters.AddWithValue("violations", violations);
        save.Parameters.AddWithValue("passed", violations == 0);
        save.Parameters.AddWithValue("at", checkedAt);
        await save.ExecuteNonQueryAsync(cancellationToken);
        return new DataQualityOutcome(check.Name, check.Severity, violations);
    }
}
