using GrowthOs.Transform.Marts;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class EtlStatusEndpoints
{
    public static IEndpointRouteBuilder MapEtlStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/etl/status", Get);
        return app;
    }

    /// <summary>
    /// Each pipeline's last execution and success (<c>v_etl_status</c>), and an alert for every expected pipeline
    /// without a success today (UTC).
    /// </summary>
    private static async Task<Ok<EtlStatusReport>> Get(NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pipelines = new List<EtlPipelineStatus>();
        await using (var command = dataSource.CreateCommand("""
            SELECT pipeline, last_status, last_finished_at, last_error, last_success_at, hours_since_success, ms_per_row_7d, ms_per_row_prior_7d
            FROM transform.v_etl_status ORDER BY pipeline
            """))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                pipelines.Add(new EtlPipelineStatus(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                    reader.IsDBNull(5) ? null : reader.GetDecimal(5),
                    reader.IsDBNull(6) ? null : reader.GetDecimal(6),
                    reader.IsDBNull(7) ? null : reader.GetDecimal(7)));
        }
        var today = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var alerts = EtlExecutionLog.ExpectedPipelines
            .Where(expected => !pipelines.Any(p => p.Pipeline == expected && p.LastSuccessAt >= today))
            .Select(expected => new EtlStatusAlert(expected, "warning", $"{expected} has not succeeded today (UTC)."))
            .ToList();
        return TypedResults.Ok(new EtlStatusReport(pipelines, alerts));
    }
}
