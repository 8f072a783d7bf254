using System.Diagnostics;
using Npgsql;

namespace GrowthOs.Transform.Marts;

/// <summary>Records every pipeline execution in <c>transform.etl_execution_log</c>, whether it succeeded or failed.</summary>
public sealed class EtlExecutionLog(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>The pipelines expected to succeed every day; <c>GET /api/etl/status</c> alerts on any that has not.</summary>
    public static readonly IReadOnlyList<string> ExpectedPipelines =
        [Pipelines.SalesPulse, Pipelines.StarSchema, Pipelines.InventorySnapshot, Pipelines.CustomerSegmentation, Pipelines.UsageDaily,
         Pipelines.Measurements, Pipelines.DataQuality];

    /// <summary>Runs <paramref name="work"/> and logs its outcome with the rows it wrote; a failure is logged, then rethrown.</summary>
    public async Task<T> Run<T>(string pipeline, Guid? runId, string shop, DateOnly from, DateOnly to, Func<Task<T>> work, Func<T, long> rows,
        CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var result = await work();
            await Write(pipeline, runId, shop, from, to, "succeeded", rows(result), stopwatch.ElapsedMilliseconds, null, startedAt, cancellationToken);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await Write(pipeline, runId, shop, from, to, "failed", 0, stopwatch.ElapsedMilliseconds, exception.Message, startedAt, CancellationToken.None);
            throw;
        }
    }

    private async Task Write(string pipeline, Guid? runId, string shop, DateOnly from, DateOnly to, string status, long rows, long milliseconds,
        string? error, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO transform.etl_execution_log (pipeline, run_id, shop_domain, date_from, date_to, status, rows, milliseconds, error, started_at,
                finished_at)
            VALUES (@pipeline, @run, @shop, @from, @to, @status, @rows, @ms, @error, @started, @finished)
            """);
        command.Parameters.AddWithValue("pipeline", pipeline);
        command.Parameters.AddWithValue("run", (object?)runId ?? DBNull.Value);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("rows", rows);
        command.Parameters.AddWithValue("ms", milliseconds);
        command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("started", startedAt.UtcDateTime);
        command.Parameters.AddWithValue("finished", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
