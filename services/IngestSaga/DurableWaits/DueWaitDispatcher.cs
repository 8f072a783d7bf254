using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Observability;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.IngestSaga.DurableWaits;

/// <summary>
/// Ends durable waits. A run that waits has <c>resume_at</c> set in its saga row; this loop claims due rows with
/// <c>FOR UPDATE SKIP LOCKED</c> (so replicas share the work without doubling it), pushes their <c>resume_at</c> out
/// by a claim period, and publishes <see cref="SyncWaitElapsed"/>. The saga clears <c>resume_at</c> when it acts;
/// if this process dies between claim and publish, the claim expires and the wake-up is sent again. Nothing lives in
/// memory, so a restart of any process loses no wait; broker delays (unavailable here) are not needed.
/// </summary>
public sealed class DueWaitDispatcher(
    NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IOptions<DurableWaitOptions> options, ILogger<DueWaitDispatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.ScanIntervalMilliseconds));
        do
        {
            try
            {
                await DispatchDue(settings, stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException or InvalidOperationException
                && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not dispatch due waits; trying again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The tables of runs that wait: every machine's instances.</summary>
    private static readonly string[] RunTables = ["ingest.bulk_sync_state", "ingest.marketing_sync_state"];

    public async Task<int> DispatchDue(DurableWaitOptions settings, CancellationToken cancellationToken)
    {
        var due = new List<(SyncWaitElapsed Elapsed, string? TraceParent)>();
        foreach (var table in RunTables)
        {
            await using var command = dataSource.CreateCommand($"""
                UPDATE {table} s
                   SET resume_at = now() + make_interval(secs => @claim)
                  FROM (SELECT correlation_id FROM {table}
                         WHERE resume_at <= now()
                         ORDER BY resume_at
                         LIMIT @batch
                         FOR UPDATE SKIP LOCKED) due
                 WHERE s.correlation_id = due.correlation_id
                RETURNING s.correlation_id, s.wait_token, s.trace_parent
                """);
            command.Parameters.AddWithValue("claim", (double)settings.ClaimSeconds);
            command.Parameters.AddWithValue("batch", settings.BatchSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                due.Add((new SyncWaitElapsed(reader.GetGuid(0), reader.GetInt32(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        if (due.Count == 0) return 0;

        await using var scope = scopes.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var (elapsed, traceParent) in due)
        {
            // The wake-up belongs to the run's trace, not to a trace of this loop's own.
            using var activity = GrowthOsTelemetry.ContinueTrace("durable wait elapsed", traceParent);
            activity?.SetTag("growthos.run_id", elapsed.RunId);
            await PublishDeadline.Within(token => publisher.Publish(elapsed, token), cancellationToken);
            logger.LogDebug("Wait {WaitToken} of run {RunId} elapsed", elapsed.WaitToken, elapsed.RunId);
        }
        return due.Count;
    }
}
