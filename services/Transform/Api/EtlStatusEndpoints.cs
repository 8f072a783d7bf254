using System.Globalization;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class EtlStatusEndpoints
{
    public static IEndpointRouteBuilder MapEtlStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/etl/status", Get)
            .WithSummary("Each pipeline's last execution per shop, the failures of the last 24 hours, slow executions, milliseconds per row by day, "
                         + "and the pipelines missing today");
        return app;
    }

    /// <summary>
    /// The ETL monitoring of one shop (<paramref name="shop"/>; a key limited to shops names one) or of every shop: each pipeline's
    /// last execution and success (<c>v_etl_status</c>), the failures of the last 24 hours (<c>v_etl_failures_24h</c>), the
    /// executions of the last 7 days slower than <paramref name="slow_ms"/> (by default <c>Marts:SlowExecutionMilliseconds</c>,
    /// 10 s), the milliseconds per row by day (<c>v_etl_ms_per_row_daily</c>), and a warning for every expected pipeline
    /// without a success today in the shop's reporting time zone.
    /// </summary>
    private const long MaxSlowMilliseconds = 86_400_000;

    private static async Task<Results<Ok<EtlStatusReport>, ProblemHttpResult>> Get(string? shop, string? slow_ms, NpgsqlDataSource dataSource,
        TimeProvider clock, IOptions<MartsOptions> marts, CancellationToken cancellationToken)
    {
        string? domain = null;
        if (!string.IsNullOrWhiteSpace(shop))
        {
            if (ShopQuery.Bind(shop, out var bound) is { } badShop) return badShop;
            domain = bound;
        }
        var slowAfter = marts.Value.SlowExecutionMilliseconds;
        if (slow_ms is not null
            && (!long.TryParse(slow_ms, NumberStyles.None, CultureInfo.InvariantCulture, out slowAfter) || slowAfter is <= 0 or > MaxSlowMilliseconds))
            return Problems.InvalidParameter("slow_ms",
                $"slow_ms must be a number of milliseconds from 1 to {MaxSlowMilliseconds} (a day); '{slow_ms}' is not one.");

        var pipelines = await Read(dataSource, """
            SELECT shop_domain, pipeline, last_execution_date, last_status, last_rows, last_milliseconds, last_finished_at, last_error, last_success_at,
                   hours_since_success, ms_per_row_7d, ms_per_row_prior_7d
            FROM transform.v_etl_status WHERE @shop IS NULL OR shop_domain = @shop ORDER BY shop_domain, pipeline
            """, domain, null, r => new EtlPipelineStatus(r.GetString(0), r.GetString(1), Value<DateOnly>(r, 2), Text(r, 3),
            Value<long>(r, 4), Value<long>(r, 5), Value<DateTimeOffset>(r, 6), Text(r, 7), Value<DateTimeOffset>(r, 8),
            Value<decimal>(r, 9), Value<decimal>(r, 10), Value<decimal>(r, 11)), cancellationToken);
        var failures = await Read(dataSource, """
            SELECT shop_domain, pipeline, run_id, date_from, date_to, milliseconds, error, finished_at
            FROM transform.v_etl_failures_24h WHERE @shop IS NULL OR shop_domain = @shop ORDER BY finished_at DESC LIMIT 200
            """, domain, null, r => new EtlFailure(r.GetString(0), r.GetString(1), Value<Guid>(r, 2), r.GetFieldValue<DateOnly>(3),
            r.GetFieldValue<DateOnly>(4), r.GetInt64(5), Text(r, 6), r.GetFieldValue<DateTimeOffset>(7)), cancellationToken);
        var slow = await Read(dataSource, """
            SELECT shop_domain, pipeline, run_id, status, rows, milliseconds, finished_at
            FROM transform.etl_execution_log
            WHERE (@shop IS NULL OR shop_domain = @shop) AND milliseconds > @slow AND finished_at >= now() - interval '7 days'
            ORDER BY finished_at DESC LIMIT 200
            """, domain, slowAfter, r => new EtlSlowExecution(r.GetString(0), r.GetString(1), Value<Guid>(r, 2), r.GetString(3), r.GetInt64(4),
            r.GetInt64(5), r.GetFieldValue<DateTimeOffset>(6)), cancellationToken);
        var costs = await Read(dataSource, """
            SELECT shop_domain, pipeline, day, executions, rows, milliseconds, ms_per_row
            FROM transform.v_etl_ms_per_row_daily WHERE @shop IS NULL OR shop_domain = @shop ORDER BY shop_domain, pipeline, day
            """, domain, null, r => new EtlCostDay(r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetInt64(3), r.GetInt64(4),
            r.GetInt64(5), Value<decimal>(r, 6)), cancellationToken);

        var now = clock.GetUtcNow();
        var shops = domain is null ? pipelines.Select(p => p.Shop).Distinct().ToList() : [domain];
        var alerts = new List<EtlStatusAlert>();
        foreach (var each in shops)
        {
            var zone = marts.Value.TimeZoneOf(each);
            var today = marts.Value.Today(each, now);
            foreach (var expected in EtlExecutionLog.ExpectedPipelines)
            {
                var status = pipelines.FirstOrDefault(p => p.Shop == each && p.Pipeline == expected);
                if (status?.LastSuccessAt is { } success && marts.Value.Today(each, success) >= today) continue;
                alerts.Add(new EtlStatusAlert(each, expected, "warning", status?.LastSuccessAt is { } last
                    ? $"{expected} of {each} has not succeeded today ({today:yyyy-MM-dd}, {zone}); it last succeeded {status.HoursSinceSuccess} hours ago, "
                      + $"at {last:yyyy-MM-dd HH:mm} UTC{(status.LastStatus == "failed" ? $", and its last execution failed: {status.LastError}" : "")}."
                    : $"{expected} of {each} has never succeeded"
                      + $"{(status?.LastStatus == "failed" ? $"; its last execution failed: {status.LastError}" : "")}."));
            }
        }
        return TypedResults.Ok(new EtlStatusReport(domain, pipelines, failures, slowAfter, slow, costs, alerts));
    }

    private static async Task<List<T>> Read<T>(NpgsqlDataSource dataSource, string sql, string? shop, long? slow, Func<NpgsqlDataReader, T> row,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string?>("shop", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = shop });
        if (slow is not null) command.Parameters.AddWithValue("slow", slow.Value);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(row(reader));
        return rows;
    }

    private static T? Value<T>(NpgsqlDataReader reader, int column) where T : struct => reader.IsDBNull(column) ? null : reader.GetFieldValue<T>(column);

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
