using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Outbox;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.Privacy;
using GrowthOs.IngestSaga.Runs;
using GrowthOs.IngestSaga.Schedules;
using GrowthOs.IngestSaga.Watermarks;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>The saga on its real PostgreSQL repository (the database that deploy/local/infra.sh starts).</summary>
public sealed class PostgresSagaRepositoryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_saga");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations(IngestDbContext.Schema, typeof(IngestDbContext).Assembly),
            NullLogger<SchemaMigrator>.Instance).StartAsync(CancellationToken.None);

        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(_dataSource)
            .AddSingleton(Options.Create(new BulkSyncOptions { Shops = [BulkSyncHarness.Shop] }))
            .AddSingleton<IWatermarkStore, WatermarkStore>()
            .AddDbContext<IngestDbContext>(options => options.UseNpgsql(_dataSource))
            .AddSingleton<SagaEventSignal>()
            .AddScoped<ISagaEvents, PostgresSagaEvents>()
            .AddMassTransitTestHarness(bus => bus.AddBulkSyncSaga().PostgresRepository())
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    [Fact]
    public async Task A_run_is_persisted_with_its_state_and_steps()
    {
        var runId = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "cron", DateTimeOffset.UtcNow, ["orders"]));

        var run = await WaitForRow(runId, r => r.CurrentState == "Requested");
        Assert.Equal("cron", run.Initiator);
        Assert.Equal(["initiated", "requested"], run.Steps.Select(s => s.Step));
        Assert.NotNull(run.UpdatedSince);
    }

    [Fact]
    public async Task A_run_requested_before_its_shops_purge_is_not_started_and_one_requested_after_it_is()
    {
        // The shop's purge came after this request was sent (a minute on), as when a sync asked for just before a shop
        // was deleted is delivered after the purge: the run is never started, and writes nothing the purge would miss.
        await PurgedShops.Remember(_dataSource, BulkSyncHarness.Shop, DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        var dropped = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(dropped, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await _harness.InactivityTask;
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE correlation_id = '{dropped}'"));
        Assert.False(await _harness.Published.Any<StartBulkExtraction>(x => x.Context.Message.RunId == dropped));

        // Purged a minute ago and connected again: a request sent since starts its run.
        await Scalar($"UPDATE ingest.purged_shop SET purged_at = now() - interval '1 minute' RETURNING 1");
        var started = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(started, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await WaitForRow(started, r => r.CurrentState == "Requested");
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.purged_shop WHERE shop_sha256 LIKE '%{BulkSyncHarness.Shop}%'"));
    }

    [Fact]
    public async Task The_same_run_id_requested_at_once_many_times_makes_one_run_and_one_bulk_query()
    {
        var runId = NewId.NextGuid();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            _harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]))));

        await WaitForRow(runId, r => r.CurrentState == "Requested");
        await _harness.InactivityTask;
        Assert.Equal(8, await _harness.Consumed.SelectAsync<SyncRequested>(x => x.Context.Message.RunId == runId).Count());
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE correlation_id = '{runId}'"));
        Assert.Equal(1, await _harness.Published.SelectAsync<StartBulkExtraction>(x => x.Context.Message.RunId == runId).Count());
    }

    [Fact]
    public async Task A_write_from_a_stale_copy_of_the_row_is_refused()
    {
        var runId = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await WaitForRow(runId, r => r.CurrentState == "Requested");

        await using var first = NewContext();
        await using var second = NewContext();
        var a = await first.BulkSyncs.SingleAsync(r => r.CorrelationId == runId);
        var b = await second.BulkSyncs.SingleAsync(r => r.CorrelationId == runId);
        a.PollAttempts = 1;
        await first.SaveChangesAsync();
        b.PollAttempts = 2;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    [Fact]
    public async Task A_due_wait_is_claimed_once_and_wakes_its_run()
    {
        var runId = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await WaitForRow(runId, r => r.CurrentState == "Requested");
        await Scalar($"UPDATE ingest.bulk_sync_state SET resume_at = now() - interval '1 second', wait_token = 7 WHERE correlation_id = '{runId}' RETURNING 1");

        var dispatcher = new DueWaitDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new DurableWaitOptions()), NullLogger<DueWaitDispatcher>.Instance);
        Assert.Equal(1, await dispatcher.DispatchDue(new DurableWaitOptions(), CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchDue(new DurableWaitOptions(), CancellationToken.None));

        var elapsed = await _harness.FirstPublished<SyncWaitElapsed>(m => m.RunId == runId);
        Assert.Equal(7, elapsed.WaitToken);
        // A run waiting in Requested retries its bulk query when woken, and waits for that one's answer.
        await WaitForRow(runId, r => r.WaitToken == 8 && r.ResumeAt > DateTimeOffset.UtcNow);
        Assert.True(await _harness.Published.SelectAsync<StartBulkExtraction>(x => x.Context.Message.RunId == runId).Skip(1).Any());
    }

    [Fact]
    public async Task A_due_schedule_fired_by_two_replicas_at_once_makes_exactly_one_run()
    {
        var settings = Options.Create(new BulkSyncOptions { Shops = [BulkSyncHarness.Shop] });
        ScheduledSyncDispatcher Replica() => new(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ScheduleOptions()), settings, Options.Create(new MarketingSyncOptions()),
            new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly), NullLogger<ShopConnections>.Instance),
            TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        await Replica().SyncScheduleRows(CancellationToken.None);
        var dueAt = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
        await Scalar($"UPDATE ingest.sync_schedule SET next_run_at = '{dueAt:O}' WHERE shop_domain = '{BulkSyncHarness.Shop}' RETURNING 1");

        var fired = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Replica().FireDue(CancellationToken.None))));

        Assert.Equal(1, fired.Sum());
        var runId = ScheduledSyncDispatcher.ScheduledRunId(BulkSyncHarness.Shop, dueAt);
        var run = await WaitForRow(runId, r => r.CurrentState == "Requested");
        Assert.Equal(("cron", dueAt), (run.Initiator, run.RequestedAt));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM ingest.bulk_sync_state WHERE initiator = 'cron'"));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE next_run_at > now() AND last_run_id = '{runId}'"));
    }

    [Fact]
    public async Task A_due_schedule_waits_while_its_shop_has_a_run_under_way_and_fires_once_it_ended()
    {
        var settings = Options.Create(new BulkSyncOptions { Shops = [BulkSyncHarness.Shop] });
        var dispatcher = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ScheduleOptions()),
            settings, Options.Create(new MarketingSyncOptions()),
            new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly), NullLogger<ShopConnections>.Instance),
            TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        var running = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(running, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await WaitForRow(running, r => r.CurrentState == "Requested");
        await Scalar($"UPDATE ingest.sync_schedule SET next_run_at = now() - interval '1 minute' WHERE shop_domain = '{BulkSyncHarness.Shop}' RETURNING 1");

        Assert.Equal(0, await dispatcher.FireDue(CancellationToken.None));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE shop_domain = '{BulkSyncHarness.Shop}' "
            + "AND next_run_at < now() AND last_run_id IS NULL"));

        await Scalar($"UPDATE ingest.bulk_sync_state SET current_state = 'Completed' WHERE correlation_id = '{running}' RETURNING 1");
        Assert.Equal(1, await dispatcher.FireDue(CancellationToken.None));
    }

    [Fact]
    public async Task Each_marketing_source_of_a_shop_has_its_own_daily_schedule_and_a_due_one_requests_its_sync_once()
    {
        var settings = Options.Create(new BulkSyncOptions { Shops = [BulkSyncHarness.Shop] });
        var marketing = Options.Create(new MarketingSyncOptions { Shops = [new MarketingShop { Shop = BulkSyncHarness.Shop, Sources = ["meta", "ga4"] }] });
        var dispatcher = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(),
            Options.Create(new ScheduleOptions()), settings, marketing,
            new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly), NullLogger<ShopConnections>.Instance),
            TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        Assert.Equal(3L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE shop_domain = '{BulkSyncHarness.Shop}' "
            + "AND job IN ('shopify', 'marketing:meta', 'marketing:ga4')"));
        Assert.Equal(1L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE job = 'marketing:ga4' AND cron = '30 6 * * *'"));

        var dueAt = new DateTimeOffset(2026, 11, 22, 6, 30, 0, TimeSpan.Zero);
        await Scalar($"UPDATE ingest.sync_schedule SET next_run_at = '{dueAt:O}' WHERE job = 'marketing:ga4' RETURNING 1");
        Assert.Equal(1, await dispatcher.FireDue(CancellationToken.None));
        Assert.Equal(0, await dispatcher.FireDue(CancellationToken.None));
        var requested = (await _harness.Published.SelectAsync<GrowthOs.Contracts.Marketing.MarketingSyncRequested>().First()).Context.Message;
        Assert.Equal((BulkSyncHarness.Shop, "ga4", "cron", dueAt), (requested.ShopDomain, requested.Source, requested.Initiator, requested.RequestedAt));
        Assert.Equal(ScheduledSyncDispatcher.ScheduledRunId(BulkSyncHarness.Shop, dueAt, "marketing:ga4"), requested.RunId);
        Assert.NotEqual(ScheduledSyncDispatcher.ScheduledRunId(BulkSyncHarness.Shop, dueAt), requested.RunId);

        // A source the shop no longer syncs loses its schedule.
        var fewer = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ScheduleOptions()),
            settings, Options.Create(new MarketingSyncOptions { Shops = [new MarketingShop { Shop = BulkSyncHarness.Shop, Sources = ["meta"] }] }),
            new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly), NullLogger<ShopConnections>.Instance),
            TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        await fewer.SyncScheduleRows(CancellationToken.None);
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE job = 'marketing:ga4'"));
    }

    [Fact]
    public async Task A_connected_shop_is_scheduled_on_its_own_clocks_with_its_entities_and_a_paused_one_is_not()
    {
        const string shop = "connected-schedule.myshopify.com";
        var connected = new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly),
            NullLogger<ShopConnections>.Instance);
        var dispatcher = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ScheduleOptions()),
            Options.Create(new BulkSyncOptions()), Options.Create(new MarketingSyncOptions()), connected, TimeProvider.System,
            NullLogger<ScheduledSyncDispatcher>.Instance);
        var id = NewId.NextGuid();
        ConnectionSnapshot Version(long version, string status, string cron) => new(id, shop, "shopify", shop, null, status, null, "Connected Schedule", "EUR",
            "Asia/Tokyo", "Basic", null, cron, ["orders", "customers"], null, null, version, DateTimeOffset.UtcNow);

        await connected.Keep(Version(2, "active", "15 4 * * *"), CancellationToken.None);
        // An older version heard late changes nothing.
        await connected.Keep(Version(1, "pending", "0 0 * * *"), CancellationToken.None);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        Assert.Equal("15 4 * * *|Asia/Tokyo",
            await Text($"SELECT cron || '|' || time_zone FROM ingest.sync_schedule WHERE shop_domain = '{shop}' AND job = 'shopify'"));
        // 04:15 in Tokyo is 19:15 UTC the day before.
        var next = await Text($"SELECT to_char(next_run_at AT TIME ZONE 'UTC', 'HH24:MI') FROM ingest.sync_schedule WHERE shop_domain = '{shop}'");
        Assert.Equal("19:15", next);

        await Scalar($"UPDATE ingest.sync_schedule SET next_run_at = now() - interval '1 minute' WHERE shop_domain = '{shop}' RETURNING 1");
        Assert.Equal(1, await dispatcher.FireDue(CancellationToken.None));
        var requested = await _harness.FirstPublished<SyncRequested>(m => m.ShopDomain == shop);
        Assert.Equal(["orders", "customers"], requested.Entities);

        await connected.Keep(Version(3, "paused", "15 4 * * *"), CancellationToken.None);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE shop_domain = '{shop}'"));
    }

    [Fact]
    public async Task A_connected_ad_account_is_scheduled_on_its_own_cron_on_its_shops_clocks_and_not_once_it_fails()
    {
        const string shop = "connected-account.myshopify.com";
        var connected = new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly),
            NullLogger<ShopConnections>.Instance);
        var marketing = new MarketingSyncOptions { ConnectedSourcesOf = connected.SourcesOf };
        var dispatcher = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ScheduleOptions()),
            Options.Create(new BulkSyncOptions()), Options.Create(marketing), connected, TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        var (shopId, metaId) = (NewId.NextGuid(), NewId.NextGuid());
        await connected.Keep(new ConnectionSnapshot(shopId, shop, "shopify", shop, null, "active", null, "Shop", "EUR", "Asia/Tokyo", "Basic", null,
            "15 4 * * *", [], null, null, 1, DateTimeOffset.UtcNow), CancellationToken.None);
        ConnectionSnapshot Meta(long version, string status) => new(metaId, shop, "meta", "7300000009", null, status, null, "Ads", "EUR", "Europe/Lisbon", null,
            "ACTIVE", "45 5 * * *", [], null, null, version, DateTimeOffset.UtcNow);

        await connected.Keep(Meta(1, "active"), CancellationToken.None);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        Assert.Equal("45 5 * * *|Asia/Tokyo",
            await Text($"SELECT cron || '|' || time_zone FROM ingest.sync_schedule WHERE shop_domain = '{shop}' AND job = 'marketing:meta'"));
        Assert.Equal(0L,
            await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE shop_domain = '{shop}' AND job IN ('marketing:google_ads', 'marketing:ga4')"));

        await connected.Keep(Meta(2, "failing"), CancellationToken.None);
        await dispatcher.SyncScheduleRows(CancellationToken.None);
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.sync_schedule WHERE shop_domain = '{shop}' AND job = 'marketing:meta'"));
    }

    [Fact]
    public async Task An_ad_account_connected_without_its_shop_is_scheduled_on_its_own_cron_on_the_accounts_clocks()
    {
        const string shop = "ads-only.myshopify.com";
        var connected = new ShopConnections(_dataSource, new SchemaMigrations("ingest", typeof(ScheduledSyncDispatcher).Assembly),
            NullLogger<ShopConnections>.Instance);
        var dispatcher = new ScheduledSyncDispatcher(_dataSource, _provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new ScheduleOptions()),
            Options.Create(new BulkSyncOptions()), Options.Create(new MarketingSyncOptions { ConnectedSourcesOf = connected.SourcesOf }), connected,
            TimeProvider.System, NullLogger<ScheduledSyncDispatcher>.Instance);
        await connected.Keep(new ConnectionSnapshot(NewId.NextGuid(), shop, "google_ads", "7400000009", "7400000008", "active", null, "Ads", "USD",
            "America/Chicago", null, "ENABLED", "20 6 * * *", [], null, null, 1, DateTimeOffset.UtcNow), CancellationToken.None);
        await dispatcher.SyncScheduleRows(CancellationToken.None);

        Assert.Equal("marketing:google_ads|20 6 * * *|America/Chicago",
            await Text($"SELECT job || '|' || cron || '|' || time_zone FROM ingest.sync_schedule WHERE shop_domain = '{shop}'"));
    }

    [Fact]
    public async Task A_runs_events_are_saved_with_its_row_and_leave_only_from_the_outbox_each_once_with_its_event_id()
    {
        var runId = NewId.NextGuid();
        await _harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", DateTimeOffset.UtcNow, ["orders"]));
        await WaitForRow(runId, r => r.CurrentState == "Requested");
        await _harness.InactivityTask;

        // Saved with the row, and not published by the consume that raised them.
        Assert.Equal(2L, await Scalar($"SELECT count(*) FROM ingest.saga_event_outbox WHERE run_id = '{runId}' AND published_at IS NULL"));
        Assert.False(await _harness.Published.Any<SyncStepChanged>(x => x.Context.Message.RunId == runId));
        Assert.True(await _harness.Published.Any<StartBulkExtraction>(x => x.Context.Message.RunId == runId));

        var options = new SagaEventOptions();
        var publisher = new SagaEventPublisher(_dataSource, _harness.Bus, new SagaEventSignal(), Options.Create(options), TimeProvider.System,
            NullLogger<SagaEventPublisher>.Instance);
        Assert.Equal(2, await publisher.PublishPending(options, CancellationToken.None));
        Assert.Equal(0, await publisher.PublishPending(options, CancellationToken.None));

        var published = await _harness.Published.SelectAsync<SyncStepChanged>(x => x.Context.Message.RunId == runId).ToListAsync();
        Assert.Equal(["initiated", "requested"], published.Select(p => p.Context.Message.Step));
        Assert.Equal([RunIds.OfEvent(runId, "step|1"), RunIds.OfEvent(runId, "step|2")], published.Select(p => p.Context.MessageId!.Value));
        Assert.All(published, p => Assert.Equal(runId, p.Context.CorrelationId));
        Assert.Equal(0L, await Scalar($"SELECT count(*) FROM ingest.saga_event_outbox WHERE run_id = '{runId}' AND published_at IS NULL"));
    }

    [Fact]
    public async Task An_event_this_build_cannot_publish_is_set_aside_with_its_reason_and_blocks_none_behind_it()
    {
        var runId = NewId.NextGuid();
        // A batch of one: the unknown event and the broken one, written first, would otherwise be claimed ahead of the good one forever.
        await Scalar($$"""
            INSERT INTO ingest.saga_event_outbox (event_id, run_id, message_type, body, created_at)
            VALUES ('{{NewId.NextGuid()}}', '{{runId}}', 'SomethingNewer', '{}', now() - interval '2 seconds'),
                   ('{{NewId.NextGuid()}}', '{{runId}}', 'SyncFailed', '{"runId":"not-a-guid"}', now() - interval '1 second'),
                   ('{{NewId.NextGuid()}}', '{{runId}}', 'SyncFailed',
                    '{"runId":"{{runId}}","shopDomain":"a.myshopify.com","step":"polling","reason":"r","failedAt":"2026-12-01T00:00:00Z"}', now())
            RETURNING 1
            """);
        var options = new SagaEventOptions { BatchSize = 1 };
        var publisher = new SagaEventPublisher(_dataSource, _harness.Bus, new SagaEventSignal(), Options.Create(options), TimeProvider.System,
            NullLogger<SagaEventPublisher>.Instance);

        for (var batch = 0; batch < 3; batch++) Assert.Equal(1, await publisher.PublishPending(options, CancellationToken.None));
        Assert.Equal(0, await publisher.PublishPending(options, CancellationToken.None));
        var failed = await _harness.FirstPublished<SyncFailed>(m => m.RunId == runId);
        Assert.Equal(("polling", "r"), (failed.Step, failed.Reason));
        Assert.Equal(1L, await Scalar($"""
            SELECT count(*) FROM ingest.saga_event_outbox
            WHERE run_id = '{runId}' AND published_at IS NULL AND message_type = 'SomethingNewer'
                AND set_aside_reason LIKE '%not an event this build publishes%'
            """));
        Assert.Equal(1L,
            await Scalar($"SELECT count(*) FROM ingest.saga_event_outbox WHERE run_id = '{runId}' AND set_aside_reason LIKE 'its body is not a SyncFailed%'"));

        // A build that knows the type releases what another set aside; a broken body stays aside.
        await Scalar($"UPDATE ingest.saga_event_outbox SET message_type = 'SyncCompleted' WHERE run_id = '{runId}' AND message_type = 'SomethingNewer' "
            + "RETURNING 1");
        Assert.Equal(1, await publisher.ReleaseKnown(CancellationToken.None));
    }

    private IngestDbContext NewContext() =>
        new(new DbContextOptionsBuilder<IngestDbContext>().UseNpgsql(_dataSource).Options);

    private async Task<BulkSyncState> WaitForRow(Guid runId, Func<BulkSyncState, bool> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var db = NewContext();
            var run = await db.BulkSyncs.AsNoTracking().SingleOrDefaultAsync(r => r.CorrelationId == runId);
            if (run is not null && condition(run)) return run;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Run {runId} never reached the expected state in PostgreSQL.");
    }

    private async Task<long> Scalar(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<string?> Text(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
