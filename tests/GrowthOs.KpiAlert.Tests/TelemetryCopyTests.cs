using System.Collections.Concurrent;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.KpiAlert.Alerts;
using GrowthOs.KpiAlert.Analytics;
using GrowthOs.KpiAlert.Copies;
using GrowthOs.KpiAlert.Kpis;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.KpiAlert.Tests;

/// <summary>The copies of sync telemetry, API calls, deferrals and data-quality results, over the real PostgreSQL: a repeated event is stored once.</summary>
public sealed class TelemetryCopyTests : IAsyncLifetime
{
    private const string Shop = "telemetry.myshopify.com";
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow.AddHours(-1);
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private AnalyticsStore _store = null!;
    private readonly Consumptions _consumptions = new();

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_kpi_telemetry");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations("kpi", typeof(KpiStore).Assembly), NullLogger<SchemaMigrator>.Instance)
            .StartAsync(CancellationToken.None);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_dataSource)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new KpiOptions()))
            .AddSingleton(Options.Create(new AlertOptions()))
            .AddSingleton<KpiStore>()
            .AddSingleton<AnalyticsStore>()
            .AddSingleton<AlertEvaluator>()
            .AddMassTransitTestHarness(bus => bus.AddConsumer<TelemetryCopyConsumer>())
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(30);
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await _harness.Start();
        _harness.Bus.ConnectConsumeObserver(_consumptions);
        _store = new AnalyticsStore(_dataSource);
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Publishes the event (with a message id of its own, when given, as a redelivery has) and waits until it is
    /// consumed once more, counting every consumption (the harness lists a message id once, and waits for inactivity
    /// only once).
    /// </summary>
    private async Task Consumed<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var before = _consumptions.Of(id);
        await _harness.Bus.Publish(message, context => context.MessageId = id);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_consumptions.Of(id) == before)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{typeof(T).Name} was not consumed within 30 s");
            await Task.Delay(20);
        }
        Assert.Empty(_consumptions.Faults);
    }

    /// <summary>Counts the consumptions of each message id and keeps every fault.</summary>
    private sealed class Consumptions : IConsumeObserver
    {
        private readonly ConcurrentDictionary<Guid, int> _counts = new();
        public ConcurrentQueue<string> Faults { get; } = new();

        public int Of(Guid messageId) => _counts.GetValueOrDefault(messageId);

        public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

        public Task PostConsume<T>(ConsumeContext<T> context) where T : class
        {
            _counts.AddOrUpdate(context.MessageId!.Value, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
        {
            Faults.Enqueue($"{typeof(T).Name}: {exception.Message}");
            _counts.AddOrUpdate(context.MessageId!.Value, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Steps_calls_deferrals_and_checks_are_copied_once_and_a_marketing_deferral_takes_its_runs_shop()
    {
        var (bulk, meta) = (NewId.NextGuid(), NewId.NextGuid());
        var started = new SyncStepChanged(bulk, Shop, "DAILY_SYNC", "requested", "started", At, new Dictionary<string, long> { ["retry_attempts"] = 0 }, null,
            "orders");
        await Consumed(started);
        await Consumed(started);
        await Consumed(started with { OccurredAt = At.AddSeconds(40), Counts = new Dictionary<string, long> { ["retry_attempts"] = 2 } });
        await Consumed(new SyncStepChanged(bulk, Shop, "DAILY_SYNC", "completed", "succeeded", At.AddSeconds(90), new Dictionary<string, long>(), null));
        await Consumed(new SyncStepChanged(meta, Shop, "MARKETING_SYNC", "fetching", "started", At, new Dictionary<string, long>(), null, "meta"));

        var calls = new ApiCallsRecorded(bulk, Shop,
        [
            new ApiCallOutcome("shopify", "bulkOperationRunQuery", At.AddSeconds(1), 200, 120, 0, false, null, 2.5m),
            new ApiCallOutcome("shopify", "bulkOperation", At.AddSeconds(30), 429, 80, 0, true, "THROTTLED", null),
        ]);
        var redelivered = NewId.NextGuid();
        await Consumed(calls, redelivered);
        await Consumed(calls, redelivered);
        await Consumed(new BulkExtractionDeferred(bulk, Shop, "orders", "OPERATION_IN_PROGRESS", "another bulk query runs", RetryAfterSeconds: 30));
        await Consumed(new MarketingFetchDeferred(meta, MarketingSources.Meta, 1, "CODE_80000", "rate limited", 60));
        var checks = new DataQualityChecked(bulk, Shop, At.AddSeconds(80), [new DataQualityResult("no_future_dates", "critical", 0, true)]);
        await Consumed(checks);
        await Consumed(checks with { CheckedAt = At.AddSeconds(10), Results = [new DataQualityResult("no_future_dates", "critical", 3, false)] });

        var run = PipelineHealth.Summarize(await _store.Steps(null, DateTimeOffset.MinValue, bulk, CancellationToken.None));
        // The step entered again keeps its first time and takes the newest counts: 2 retries; 90 s first to last.
        Assert.Equal(("shopify", "completed", 90_000L, 2L, 2), (run.Pipeline, run.Outcome, run.DurationMs, run.Retries, run.Steps.Count));
        Assert.Equal(2, (await _store.Calls(Shop, default, default, bulk, CancellationToken.None)).Count);
        var deferrals = await _store.Deferrals(Shop, At.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1), null, CancellationToken.None);
        Assert.Equal(["shopify:OPERATION_IN_PROGRESS", "meta:CODE_80000"], deferrals.Select(d => $"{d.Source}:{d.ErrorCode}").Order().Reverse());
        // A late repetition of an older check changes nothing.
        Assert.Equal((0L, true),
            ((await _store.Quality(bulk, CancellationToken.None)).Single().Violations, (await _store.Quality(bulk, CancellationToken.None)).Single().Passed));
        Assert.Equal(Shop, await _store.ShopOfRun(meta, CancellationToken.None));
        Assert.Null(await _store.ShopOfRun(Guid.NewGuid(), CancellationToken.None));
    }
}
