using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Messaging;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Scheduling;
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
    ShopConnections connected,
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
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or MassTransitException
                && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Could not fire scheduled syncs; trying again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private const string ShopifyJob = "shopify";
    private const string MarketingJob = "marketing:";

    /// <summary>
    /// Every scheduled job of every shop, with its cron and the zone whose clocks it is read on: the settings' shops in
    /// UTC, and every connected shop that syncs (not paused, failing or disconnected) on its own clocks with its
    /// connection's cron; a connected ad account on its own connection's cron.
    /// </summary>
    private IEnumerable<(string Shop, string Job, string Cron, string Zone)> Jobs()
    {
        foreach (var shop in bulkSync.Value.Shops)
        {
            yield return (shop, ShopifyJob, schedules.Value.CronFor(shop), "UTC");
            foreach (var job in MarketingJobs(shop)) yield return job;
        }
        var configured = bulkSync.Value.Shops.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var connection in connected.Shops.Values)
        {
            if (!connection.Syncs || configured.Contains(connection.ShopDomain)) continue;
            yield return (connection.ShopDomain, ShopifyJob, connection.Cron, connection.Zone.Id);
            foreach (var job in MarketingJobs(connection.ShopDomain)) yield return job;
        }
        // A shop whose ad accounts are connected without the shop itself (its ads synced alone): each account on its own schedule.
        foreach (var shop in connected.ShopsWithAccounts)
        {
            if (configured.Contains(shop) || connected.Of(shop) is not null) continue;
            foreach (var job in MarketingJobs(shop)) yield return job;
        }
    }

    /// <summary>
    /// A shop's marketing jobs: an account connected at run time on its connection's schedule, read on the shop's clocks
    /// (the account's when the shop has no connection); one of the settings on <c>MarketingSync</c>'s, in UTC.
    /// </summary>
    private IEnumerable<(string Shop, string Job, string Cron, string Zone)> MarketingJobs(string shop) =>
        marketing.Value.SourcesOf(shop).Select(source => connected.AccountOf(shop, source) is { } account
            ? (shop, MarketingJob + source, account.Cron, (connected.Of(shop)?.Zone ?? account.Zone).Id)
            : (shop, MarketingJob + source, marketing.Value.CronFor(shop), "UTC"));

    /// <summary>
    /// Makes <c>ingest.sync_schedule</c> hold one row per shop and job with its current cron and zone (its next run worked
    /// out again when either changed), and none for a job no longer scheduled (a paused or disconnected shop's).
    /// </summary>
    public async Task SyncScheduleRows(CancellationToken cancellationToken)
    {
        // One replica at a time, each from the copy as it stands now: a replica a moment behind would otherwise remove the
        // schedules of the shops just connected, and the next put them back with their next runs worked out again.
        await using var held = await AdvisoryLock.Take(dataSource, "ingest-sync-schedule", cancellationToken);
        await connected.Refresh(cancellationToken);
        var now = clock.GetUtcNow();
        var jobs = Jobs().ToList();
        foreach (var (shop, job, cron, zone) in jobs)
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO ingest.sync_schedule (shop_domain, job, cron, time_zone, next_run_at) VALUES (@shop, @job, @cron, @zone, @next)
                ON CONFLICT (shop_domain, job) DO UPDATE SET cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, next_run_at = EXCLUDED.next_run_at
                WHERE ingest.sync_schedule.cron <> EXCLUDED.cron OR ingest.sync_schedule.time_zone <> EXCLUDED.time_zone
                """);
            command.Parameters.AddWithValue("shop", shop);
            command.Parameters.AddWithValue("job", job);
            command.Parameters.AddWithValue("cron", cron);
            command.Parameters.AddWithValue("zone", zone);
            command.Parameters.AddWithValue("next", CronExpression.Parse(cron).Next(now, Zone(zone)).UtcDateTime);
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

    /// <summary>
    /// Publishes a sync for every due occurrence and moves each schedule to its next occurrence; an occurrence whose shop
    /// has a run of the same kind under way stays due until that run ends.
    /// </summary>
    public async Task<int> FireDue(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<(string Shop, string Job, string Cron, string Zone, DateTimeOffset DueAt)>();
        // A job whose shop still has a run of its kind under way waits for it: no two runs of one shop and source at once. A run
        // requested more than a day ago holds nothing (its budget is long spent).
        await using (var select = new NpgsqlCommand("""
            SELECT s.shop_domain, s.job, s.cron, s.time_zone, s.next_run_at FROM ingest.sync_schedule s
            WHERE s.next_run_at <= @now
              AND NOT EXISTS (SELECT 1 FROM ingest.bulk_sync_state b
                              WHERE s.job = 'shopify' AND b.shop_domain = s.shop_domain AND b.current_state NOT IN ('Completed', 'Failed', 'Partial')
                                AND b.requested_at > @now - interval '1 day')
              AND NOT EXISTS (SELECT 1 FROM ingest.marketing_sync_state m
                              WHERE s.job = 'marketing:' || m.source AND m.shop_domain = s.shop_domain
                                AND m.current_state NOT IN ('Completed', 'Failed', 'Partial')
                                AND m.requested_at > @now - interval '1 day')
            FOR UPDATE OF s SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.AddWithValue("now", clock.GetUtcNow().UtcDateTime);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                due.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero)));
        }
        if (due.Count == 0) return 0;

        await using var scope = scopes.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var (shop, job, cron, zone, dueAt) in due)
        {
            var runId = ScheduledRunId(shop, dueAt, job);
            var entities = connected.Of(shop) is { Entities.Count: > 0 } shopConnection ? shopConnection.Entities : bulkSync.Value.EntitiesToSync;
            object request = job.StartsWith(MarketingJob, StringComparison.Ordinal)
                ? new MarketingSyncRequested(runId, shop, job[MarketingJob.Length..], "cron", dueAt)
                : new SyncRequested(runId, shop, "cron", dueAt, entities);
            await PublishDeadline.Within(token => publisher.Publish(request, request.GetType(), token), cancellationToken);
            await using var advance = new NpgsqlCommand(
                "UPDATE ingest.sync_schedule SET next_run_at = @next, last_run_id = @run, last_fired_at = now() WHERE shop_domain = @shop AND job = @job",
                connection, transaction);
            advance.Parameters.AddWithValue("next", CronExpression.Parse(cron).Next(clock.GetUtcNow(), Zone(zone)).UtcDateTime);
            advance.Parameters.AddWithValue("run", runId);
            advance.Parameters.AddWithValue("shop", shop);
            advance.Parameters.AddWithValue("job", job);
            await advance.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Scheduled {Job} sync {RunId} of {ShopDomain} due {DueAt:o} requested", job, runId, shop, dueAt);
        }
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The same shop, job and due time always give the same run id (a name-based UUID).</summary>
    public static Guid ScheduledRunId(string shop, DateTimeOffset dueAt, string job = ShopifyJob) =>
        RunIds.Scheduled(shop, job, job == ShopifyJob, dueAt);
}
