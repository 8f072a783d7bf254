namespace GrowthOs.Transform.Marts;

/// <summary>Rebuilds the rolling 30-day stats once a week: whenever the last success is older than seven days (one replica at a time).</summary>
public sealed class WeeklyRollingStats(PipelineRunner pipelines, Npgsql.NpgsqlDataSource dataSource, ILogger<WeeklyRollingStats> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromDays(7);
    private static readonly TimeSpan Look = TimeSpan.FromMinutes(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var command = dataSource.CreateCommand("""
                    SELECT COALESCE(max(finished_at) < now() - @every, true) FROM transform.etl_execution_log
                    WHERE pipeline = 'rolling_30d' AND status = 'succeeded'
                    """);
                command.Parameters.AddWithValue("every", Every);
                if ((bool)(await command.ExecuteScalarAsync(stoppingToken))!)
                {
                    var rows = await pipelines.Rolling30d(null, stoppingToken);
                    logger.LogInformation("Rebuilt the rolling 30-day stats: {Rows} rows", rows);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning("Weekly rolling 30-day rebuild failed, tried again in {Minutes} min: {Error}", Look.TotalMinutes, exception.Message);
            }
            await Task.Delay(Look, stoppingToken);
        }
    }
}
