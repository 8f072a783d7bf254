using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Runs a shop's checks (the commerce ones, or the marketing ones) and stores each outcome in <c>transform.data_quality_result</c>.</summary>
public sealed class DataQualityRunner(NpgsqlDataSource dataSource, IOptions<MartsOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<DataQualityOutcome>> Run(string shop, Guid? runId, CancellationToken cancellationToken,
        IReadOnlyList<DataQualityCheck>? checks = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await Run(connection, shop, runId, cancellationToken, checks);
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
        foreach (var check in checks ?? DataQualityChecks.All)
        {
            await using var count = new NpgsqlCommand(check.Sql, connection);
            count.Parameters.AddWithValue("shop", shop);
            if (check.Sql.Contains("@tz", StringComparison.Ordinal)) count.Parameters.AddWithValue("tz", options.Value.TimeZoneOf(shop));
            if (check.Sql.Contains("@rejected_share", StringComparison.Ordinal))
                count.Parameters.AddWithValue("rejected_share", options.Value.MarketingRejectedShare);
            if (check.Sql.Contains("@run", StringComparison.Ordinal))
                count.Parameters.Add(new NpgsqlParameter("run", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)runId ?? DBNull.Value });
            var violations = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken));
            outcomes.Add(new DataQualityOutcome(check.Name, check.Severity, violations));

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
        }
        return outcomes;
    }
}
