using GrowthOs.Transform.Marts;
using Npgsql;

namespace GrowthOs.Transform.Api;

public static class EtlStatusEndpoints
{
    public static IEndpointRouteBuilder MapEtlStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/etl/status", Get);
        return app;
    }

    /// <summary>Each pipeline's last execution and success (<c>v_etl_status</c>), and an alert for every expected pipeline without a success today (UTC).</summary>
    private static async Task<IResult> Get(NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        var pipelines = new List<Dictionary<string, object?>>();
        await using (var command = dataSource.CreateCommand("SELECT * FROM transform.v_etl_status ORDER BY pipeline"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new Dictionary<string, object?>();
                for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                pipelines.Add(row);
            }
        }
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var alerts = EtlExecutionLog.ExpectedPipelines
            .Where(expected => !pipelines.Any(p => (string?)p["pipeline"] == expected && p["last_success_at"] is DateTime success && success >= today))
            .Select(expected => new { pipeline = expected, severity = "warning", message = $"{expected} has not succeeded today (UTC)." })
            .ToList();
        return Results.Json(new { pipelines, alerts });
    }
}
