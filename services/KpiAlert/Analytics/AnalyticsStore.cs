using System.Text.Json;
using Npgsql;

namespace GrowthOs.KpiAlert.Analytics;

/// <summary>Reads this service's copies of products sold, sync telemetry, API calls, deferrals and data-quality results.</summary>
public sealed class AnalyticsStore(NpgsqlDataSource dataSource)
{
    /// <summary>The products of the period by net revenue, largest first (then by id), up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<TopProduct>> TopProducts(string shop, DateOnly from, DateOnly to, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT product_id, (array_agg(title ORDER BY date DESC))[1], sum(units)::bigint, sum(net_revenue_minor)::bigint,
                   sum(sum(net_revenue_minor)) OVER ()
            FROM kpi.product_day WHERE shop_domain = @shop AND date BETWEEN @from AND @to
            GROUP BY product_id ORDER BY 4 DESC, 1 LIMIT @limit
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("limit", limit);
        var products = new List<TopProduct>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var total = reader.GetDecimal(4);
            products.Add(new TopProduct(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                total == 0 ? null : Math.Round(reader.GetInt64(3) / total, 4)));
        }
        return products;
    }

    /// <summary>Every step change of the shop's runs that began at or after <paramref name="since"/> (or of one run).</summary>
    public async Task<IReadOnlyList<StepRow>> Steps(string? shop, DateTimeOffset since, Guid? runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(runId is null
            ? """
              SELECT run_id, job_type, source, step, status, entity, occurred_at, counts::text, error FROM kpi.sync_step
              WHERE shop_domain = @shop
                  AND run_id IN (SELECT run_id FROM kpi.sync_step WHERE shop_domain = @shop GROUP BY run_id HAVING min(occurred_at) >= @since)
              """
            : "SELECT run_id, job_type, source, step, status, entity, occurred_at, counts::text, error FROM kpi.sync_step WHERE run_id = @run");
        command.Parameters.AddWithValue("shop", (object?)shop ?? DBNull.Value);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        var steps = new List<StepRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            steps.Add(new StepRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6), JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(7))!,
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        return steps;
    }

    /// <summary>The shop's API calls in [<paramref name="since"/>, <paramref name="until"/>), or one run's, in the order made.</summary>
    public async Task<IReadOnlyList<CallRow>> Calls(string shop, DateTimeOffset since, DateTimeOffset until, Guid? runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT run_id, source, endpoint, called_at, http_status, duration_ms, records, throttled, error_code, usage_percent FROM kpi.api_call
            WHERE shop_domain = @shop AND {(runId is null ? "called_at >= @since AND called_at < @until" : "run_id = @run")}
            ORDER BY called_at, message_id, seq
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("until", until);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        var calls = new List<CallRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            calls.Add(new CallRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetBoolean(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetDecimal(9)));
        return calls;
    }

    /// <summary>
    /// The shop's alerts raised since <paramref name="since"/> or still open that some pipeline's late or incomplete data
    /// moved with, each with those pipelines, the newest first.
    /// </summary>
    public async Task<IReadOnlyList<(MovedAlert Alert, string[] Pipelines)>> MovedAlerts(string shop, DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT alert_id, rule, subject, severity, status, held_back, raised_at, resolved_at, incomplete_pipelines FROM kpi.alert
            WHERE shop_domain = @shop AND cardinality(incomplete_pipelines) > 0 AND (raised_at >= @since OR status = 'open')
            ORDER BY raised_at DESC, alert_id
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", since);
        var alerts = new List<(MovedAlert, string[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            alerts.Add((new MovedAlert(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)),
                reader.GetFieldValue<string[]>(8)));
        return alerts;
    }

    /// <summary>
    /// The deferrals of the shop's runs in [<paramref name="since"/>, <paramref name="until"/>), or one run's (a
    /// marketing deferral's shop is its run's).
    /// </summary>
    public async Task<IReadOnlyList<DeferralRow>> Deferrals(string shop, DateTimeOffset since, DateTimeOffset until, Guid? runId,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT d.run_id, d.source, d.entity, d.error_code, d.reason, d.retry_after_seconds, d.deferred_at FROM kpi.deferral d
            WHERE COALESCE(d.shop_domain, (SELECT s.shop_domain FROM kpi.sync_step s WHERE s.run_id = d.run_id LIMIT 1)) = @shop
              AND {(runId is null ? "d.deferred_at >= @since AND d.deferred_at < @until" : "d.run_id = @run")}
            ORDER BY d.deferred_at
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("until", until);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        var deferrals = new List<DeferralRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            deferrals.Add(new DeferralRow(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return deferrals;
    }

    /// <summary>The data-quality results of a run, by check name.</summary>
    public async Task<IReadOnlyList<QualityRow>> Quality(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT check_name, severity, violations, passed, checked_at FROM kpi.quality_result WHERE run_id = @run ORDER BY check_name");
        command.Parameters.AddWithValue("run", runId);
        var results = new List<QualityRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            results.Add(new QualityRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        return results;
    }

    /// <summary>The shop of a run, from its telemetry; null for a run this service has no telemetry of.</summary>
    public async Task<string?> ShopOfRun(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT shop_domain FROM kpi.sync_step WHERE run_id = @run LIMIT 1");
        command.Parameters.AddWithValue("run", runId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }
}
