using GrowthOs.Contracts.Transform;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace GrowthOs.Transform.Api;

/// <summary>
/// <c>POST /api/etl/run?pipeline=&amp;shop=&amp;from=&amp;to=</c>: one pipeline, or "all", for one day or a range of days,
/// queued as a command (heavy work is not done inside a request) and answered 202 with the run to follow at
/// <c>GET /api/etl/runs/{runId}</c>, each pipeline's execution as it is logged.
/// </summary>
public static class PipelineEndpoints
{
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapPipelineRuns(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/etl/run", Run);
        app.MapGet("/api/etl/runs/{runId:guid}", Executions);
        return app;
    }

    private static async Task<Results<Accepted<PipelineRunAccepted>, ProblemHttpResult>> Run(string? pipeline, string? shop, string? from, string? to,
        string? date, PipelineRunner runner, IPublishEndpoint bus, CancellationToken cancellationToken)
    {
        pipeline ??= "all";
        if (pipeline != "all" && !PipelineRunner.All.Contains(pipeline))
            return Problems.InvalidParameter("pipeline", $"pipeline must be 'all' or one of {string.Join(", ", PipelineRunner.All)}.");
        if (string.IsNullOrWhiteSpace(shop) && pipeline != Pipelines.Rolling30d)
            return Problems.InvalidParameter("shop", "shop is required (except for rolling_30d, which rebuilds every shop).");
        var yesterday = shop is null ? DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) : runner.Today(shop).AddDays(-1);
        if (!QueryValues.TryDate(date, out var day)) return Problems.InvalidParameter("date", "date must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(from, out var first)) return Problems.InvalidParameter("from", "from must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(to, out var last)) return Problems.InvalidParameter("to", "to must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (day is not null && (first is not null || last is not null))
            return Problems.InvalidParameter("date", "give either date, or from and to.");
        var (start, end) = day is { } d ? (d, d) : (first ?? last ?? yesterday, last ?? first ?? yesterday);
        if (start > end) return Problems.InvalidParameter("from", "from must not be after to.");
        if (end.DayNumber - start.DayNumber >= MaxDays) return Problems.InvalidParameter("to", $"a run covers at most {MaxDays} days.");

        var runId = NewId.NextGuid();
        await bus.Publish(new RunPipelines(runId, shop ?? "*", pipeline, start, end), cancellationToken);
        var statusUrl = $"/api/etl/runs/{runId}";
        return TypedResults.Accepted(statusUrl,
            new PipelineRunAccepted(runId, shop, start, end, pipeline == "all" ? PipelineRunner.All : [pipeline], statusUrl));
    }

    /// <summary>
    /// The executions a pipeline run has logged so far, in order. With <paramref name="shop"/> (a key limited to some shops
    /// names one), that shop's, and those of the pipelines of every shop (<c>rolling_30d</c>) without their row counts.
    /// </summary>
    private static async Task<Ok<PipelineRunExecutions>> Executions(Guid runId, string? shop, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT pipeline, shop_domain, date_from, date_to, status, rows, milliseconds, error, started_at, finished_at
            FROM transform.etl_execution_log WHERE run_id = @run AND (@shop::text IS NULL OR shop_domain IN (@shop, '*')) ORDER BY id
            """);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.Add(new NpgsqlParameter("shop", NpgsqlTypes.NpgsqlDbType.Text)
        {
            Value = string.IsNullOrWhiteSpace(shop) ? DBNull.Value : shop.Trim(),
        });
        var executions = new List<PipelineExecution>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            executions.Add(new PipelineExecution(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetFieldValue<DateOnly>(2),
                reader.GetFieldValue<DateOnly>(3),
                reader.GetString(4),
                string.IsNullOrWhiteSpace(shop) || reader.GetString(1) != "*" ? reader.GetInt64(5) : null,
                reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        return TypedResults.Ok(new PipelineRunExecutions(runId, executions));
    }
}
