using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.IngestSaga.Schedules;

/// <summary>
/// Fires the daily syncs of every shop at their cron times: the Shopify sync (job <c>shopify</c>) and one per marketing
/// source the shop syncs (job <c>marketing:{source}</c>). Each due occurrence is claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and published with a run id derived from the shop and the due time, so with several
/// replicas, or a crash between publishing and committing, the occurrence still makes exactly one run.
/// An occurrence missed while every replica was down fires once, at the next scan.
/// </summary>
public sealed class ScheduledSyncDispatcher(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    IOptions<ScheduleOptions> schedules,
    IOptions<BulkSyncOptions> bulkSync,
    IOptions<MarketingSyncOptions> marketing,
    TimeProvider clock,
    ILogger<ScheduledSyncDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!schedules.Value.Enabled)
        {
            logger.LogInformation("Scheduled syncs are disabled (Schedules:Enabled)");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(schedules.Value.ScanIntervalMilliseconds));
        do
        {
            try
            {
                await SyncScheduleRows(stoppingToken);
                await FireDue(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not fire scheduled syncs; trying again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private const string ShopifyJob = "shopify";
    private const string MarketingJob = "marketing:";

    /// <summary>Every scheduled job of every shop, with its cron.</summary>
    private IEnumerable<(string Shop, string Job, string Cron)> Jobs()
    {
        foreach (var shop in bulkSync.Value.Shops)
        {
            yield return (shop, ShopifyJob, schedules.Value.CronFor(shop));
            foreach (var source in marketing.Value.SourcesOf(shop))
                yield return (shop, MarketingJob + source, marketing.Value.CronFor(shop));
        }
    }

    /// <summary>Makes <c>ingest.sync_schedule</c> hold one row per configured shop and job with its current cron, and none for a job no longer configured.</summary>
    public async Task SyncScheduleRows(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var jobs = Jobs().ToList();
        foreach (var (shop, job, cron) in jobs)
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO ingest.sync_schedule (shop_domain, job, cron, next_run_at) VALUES (@shop, @job, @cron, @next)
                ON CONFLICT (shop_domain, job) DO UPDATE SET cron = EXCLUDED.cron, next_run_at = EXCLUDED.next_run_at
                WHERE ingest.sync_schedule.cron <> EXCLUDED.cron
                """);
            command.Parameters.AddWithValue("shop", shop);
            command.Parameters.AddWithValue("job", job);
            command.Parameters.AddWithValue("cron", cron);
            command.Parameters.AddWithValue("next", CronExpression.Parse(cron).Next(now).UtcDateTime);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var prune = dataSource.CreateCommand("""
            DELETE FROM ingest.sync_schedule s
            WHERE NOT EXISTS (SELECT 1 FROM unnest(@shops, @jobs) AS j(shop, job) WHERE j.shop = s.shop_domain AND j.job = s.job)
            """);
        prune.Parameters.AddWithValue("shops", jobs.Select(j => j.Shop).ToArray());
        prune.Parameters.AddWithValue("jobs", jobs.Select(j => j.Job).ToArray());
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Publishes a sync for every due occurrence and moves each schedule to its next occurrence.</summary>
    public async Task<int> FireDue(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<(string Shop, string Job, string Cron, DateTimeOffset DueAt)>();
        await using (var select = new NpgsqlCommand(
            "SELECT shop_domain, job, cron, next_run_at FROM ingest.sync_schedule WHERE next_run_at <= @now FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            select.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                due.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero)));
        }
        if (due.Count == 0) return 0;

        await using var scope = scopes.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var (shop, job, cron, dueAt) in due)
        {
            var runId = ScheduledRunId(shop, dueAt, job);
            object request = job.StartsWith(MarketingJob, StringComparison.Ordinal)
                ? new MarketingSyncRequested(runId, shop, job[MarketingJob.Length..], "cron", dueAt)
                : new SyncRequested(runId, shop, "cron", dueAt, bulkSync.Value.EntitiesToSync);
            await PublishDeadline.Within(token => publisher.Publish(request, request.GetType(), token), cancellationToken);
            await using var advance = new NpgsqlCommand(
                "UPDATE ingest.sync_schedule SET next_run_at = @next, last_run_id = @run, last_fired_at = now() WHERE shop_domain = @shop AND job = @job",
                connection, transaction);
            advance.Parameters.AddWithValue("next", CronExpression.Parse(cron).Next(clock.GetUtcNow()).UtcDateTime);
            advance.Parameters.AddWithValue("run", runId);
            advance.Parameters.AddWithValue("shop", shop);
            advance.Parameters.AddWithValue("job", job);
            await advance.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Scheduled {Job} sync {RunId} of {ShopDomain} due {DueAt:o} requested", job, runId, shop, dueAt);
        }
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>The same shop, job and due time always give the same run id (a name-based UUID).</summary>
    public static Guid ScheduledRunId(string shop, DateTimeOffset dueAt, string job = ShopifyJob) =>
        RunIds.Scheduled(shop, job, job == ShopifyJob, dueAt);
}
