using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.MarketingSync;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>The marketing-sync state machine on the in-memory harness, with watermarks in memory and a clock that moves only when a test moves it.</summary>
public sealed class MarketingSyncStateMachineTests : IAsyncLifetime
{
    private const string Shop = "test-shop.myshopify.com";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 6, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Yesterday = new(2026, 11, 21);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly MemoryWatermarks _watermarks = new();
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;
    private ISagaStateMachineTestHarness<MarketingSyncStateMachine, MarketingSyncState> _saga = null!;
    private MarketingSyncStateMachine _machine = null!;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(_clock)
            .AddSingleton(new Jitter(new Random(42)))
            .AddSingleton<IMarketingWatermarks>(_watermarks)
            .AddSingleton(Options.Create(new BulkSyncOptions { Shops = [Shop] }))
            .AddSingleton(Options.Create(new MarketingSyncOptions { RetryBudgetHours = 1 }))
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddMarketingSyncSaga().InMemoryRepository();
                bus.AddConsumer<Outage>();
            })
            .BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        _harness.TestTimeout = TimeSpan.FromSeconds(30);
        _harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        _saga = _harness.GetSagaStateMachineHarness<MarketingSyncStateMachine, MarketingSyncState>();
        _machine = _provider.GetRequiredService<MarketingSyncStateMachine>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    private MarketingSyncState Instance(Guid runId) => _saga.Sagas.Contains(runId)!;

    private async Task<MarketingSyncState> InState(Guid runId, Func<MarketingSyncStateMachine, State> state)
    {
        Assert.True((await _saga.Exists(runId, state)).HasValue,
            $"run did not reach {state(_machine).Name}; it is {_saga.Sagas.Contains(runId)?.CurrentState}");
        return Instance(runId);
    }

    private async Task<T> Published<T>(Guid runId, Func<T, bool>? filter = null) where T : class
    {
        var found = await _harness.Published.SelectAsync<T>(x => RunOf(x.Context.Message) == runId && (filter is null || filter(x.Context.Message)))
            .FirstOrDefault();
        return found?.Context.Message ?? throw new InvalidOperationException($"No {typeof(T).Name} of run {runId} was published.");
    }

    private static Guid RunOf(object message) => (Guid)message.GetType().GetProperty("RunId")!.GetValue(message)!;

    private async Task<Guid> Request(string source, DateOnly? from = null, DateOnly? to = null)
    {
        var runId = NewId.NextGuid();
        await _harness.Bus.Publish(new MarketingSyncRequested(runId, Shop, source, "user", _clock.GetUtcNow(), from, to));
        await InState(runId, m => m.Requested);
        return runId;
    }

    private async Task Elapse(Guid runId)
    {
        var run = Instance(runId);
        _clock.SetUtcNow(run.ResumeAt!.Value);
        await _harness.Bus.Publish(new SyncWaitElapsed(runId, run.WaitToken));
    }

    private Task Archived(Guid runId, int attempt, bool partial = false) =>
        _harness.Bus.Publish(new MarketingReportArchived(runId, Shop, MarketingSources.Meta, attempt, $"raw/meta/{Shop}/m{attempt}/manifest.json", 2, 720,
            9_000, Yesterday.AddDays(-179), Yesterday, partial, partial ? "1: too much data for one day" : null));

    [Fact]
    public async Task A_first_sync_reads_180_days_and_every_step_follows_an_answer_to_completed_and_the_watermark()
    {
        var runId = await Request(MarketingSources.Meta);
        var fetch = await Published<FetchMarketingReport>(runId);
        Assert.Equal((Yesterday.AddDays(-179), Yesterday, 1), (fetch.Since, fetch.Until, fetch.Attempt));

        await _harness.Bus.Publish(new MarketingFetchStarted(runId, MarketingSources.Meta, 1, _clock.GetUtcNow()));
        await InState(runId, m => m.Fetching);
        await _harness.Bus.Publish(new MarketingReportFetched(runId, MarketingSources.Meta, 1, 2, 720));
        await InState(runId, m => m.Archiving);
        await Archived(runId, 1);
        await InState(runId, m => m.Upserting);
        Assert.Equal($"raw/meta/{Shop}/m1/manifest.json", (await Published<UpsertMarketingReport>(runId)).ManifestKey);
        await _harness.Bus.Publish(new MarketingReportUpserted(runId, Shop, MarketingSources.Meta, $"raw/meta/{Shop}/m1/manifest.json", 720, 0,
            Yesterday.AddDays(-179), Yesterday, Yesterday.AddDays(-179), Yesterday));
        await InState(runId, m => m.Transforming);
        var refresh = await Published<RefreshMarketingMarts>(runId);
        Assert.Equal((Yesterday.AddDays(-179), Yesterday), (refresh.From, refresh.To));
        await _harness.Bus.Publish(new MartsRefreshed(runId, Shop, 180));
        var run = await InState(runId, m => m.Completed);

        Assert.Equal(["initiated", "requested", "fetching", "archiving", "upserting", "transforming", "completed"], run.Steps.Select(s => s.Step));
        Assert.All(run.Steps, s => Assert.Equal(MarketingSources.Meta, s.Entity));
        Assert.Equal(Yesterday, _watermarks.Marks[(Shop, MarketingSources.Meta)]);
        var completed = await Published<MarketingSyncCompleted>(runId);
        Assert.Equal((720L, false), (completed.Rows, completed.Partial));
        Assert.Equal(MarketingSources.Meta, (await Published<SyncStepChanged>(runId, s => s.Step == "fetching")).Entity);
    }

    [Theory]
    [InlineData(MarketingSources.Meta, 28)]
    [InlineData(MarketingSources.GoogleAds, 14)]
    [InlineData(MarketingSources.Ga4, 3)]
    public async Task A_later_sync_reads_its_sources_trailing_window_again_and_a_backfill_the_days_it_names(string source, int trailing)
    {
        _watermarks.Marks[(Shop, source)] = Yesterday.AddDays(-1);
        var fetch = await Published<FetchMarketingReport>(await Request(source));
        Assert.Equal((Yesterday.AddDays(1 - trailing), Yesterday), (fetch.Since, fetch.Until));

        // A watermark older than the window: the days since it are read, not only the window.
        _watermarks.Marks[(Shop, source)] = Yesterday.AddDays(-60);
        Assert.Equal(Yesterday.AddDays(-59), (await Published<FetchMarketingReport>(await Request(source))).Since);

        var backfill = await Request(source, new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31));
        Assert.Equal((new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)),
            ((await Published<FetchMarketingReport>(backfill)).Since, Instance(backfill).Until!.Value));
        Assert.Equal(JobTypes.MarketingBackfill, Instance(backfill).JobType);
    }

    [Fact]
    public async Task A_source_that_asks_to_wait_is_fetched_again_as_a_new_attempt_no_sooner_than_it_asked_and_late_answers_of_the_old_attempt_move_nothing()
    {
        var runId = await Request(MarketingSources.Meta);
        await _harness.Bus.Publish(new MarketingFetchStarted(runId, MarketingSources.Meta, 1, _clock.GetUtcNow()));
        await InState(runId, m => m.Fetching);
        await _harness.Bus.Publish(new MarketingFetchDeferred(runId, MarketingSources.Meta, 1, "80000", "throttled", RetryAfterSeconds: 300));
        var waiting = await InState(runId, m => m.Requested);
        Assert.True(waiting.ResumeAt >= Start.AddSeconds(300), $"waits until {waiting.ResumeAt}");
        Assert.Equal((2, 1, "80000: throttled"), (waiting.Attempt, waiting.RetryAttempts, waiting.LastRetryReason));

        // The old attempt's pages arrive late: ignored.
        await Archived(runId, 1);
        await Elapse(runId);
        Assert.Equal(2, (await Published<FetchMarketingReport>(runId, f => f.Attempt == 2)).Attempt);
        Assert.Equal("Requested", Instance(runId).CurrentState);
        await Archived(runId, 2);
        Assert.Equal($"raw/meta/{Shop}/m2/manifest.json", (await InState(runId, m => m.Upserting)).ManifestKey);
    }

    [Fact]
    public async Task A_source_still_asking_to_wait_past_the_retry_budget_fails_the_run_with_its_last_error()
    {
        var runId = await Request(MarketingSources.GoogleAds);
        await _harness.Bus.Publish(new MarketingFetchDeferred(runId, MarketingSources.GoogleAds, 1, "RESOURCE_EXHAUSTED", "quota", RetryAfterSeconds: 7_200));
        var run = await InState(runId, m => m.Failed);
        Assert.Contains("Retry budget of 1 h exhausted", run.Error);
        Assert.Contains("RESOURCE_EXHAUSTED: quota", run.Error);
        Assert.Equal("requested", (await Published<SyncFailed>(runId)).Step);
    }

    [Fact]
    public async Task A_refusal_for_good_fails_the_run_and_a_partial_answer_ends_partial_without_moving_the_watermark()
    {
        var refused = await Request(MarketingSources.Meta);
        await _harness.Bus.Publish(new MarketingFetchFailed(refused, MarketingSources.Meta, 1, "190", "token expired"));
        Assert.Equal("190: token expired", (await InState(refused, m => m.Failed)).Error);

        var partial = await Request(MarketingSources.Meta);
        await Archived(partial, 1, partial: true);
        await InState(partial, m => m.Upserting);
        await _harness.Bus.Publish(new MarketingReportUpserted(partial, Shop, MarketingSources.Meta, $"raw/meta/{Shop}/m1/manifest.json", 700, 0,
            Yesterday.AddDays(-179), Yesterday, Yesterday.AddDays(-179), Yesterday));
        await InState(partial, m => m.Transforming);
        await _harness.Bus.Publish(new MartsRefreshed(partial, Shop, 180));
        var run = await InState(partial, m => m.Partial);
        Assert.Equal("1: too much data for one day", run.PartialReason);
        Assert.False(_watermarks.Marks.ContainsKey((Shop, MarketingSources.Meta)));
        Assert.True((await Published<MarketingSyncCompleted>(partial)).Partial);
    }

    [Theory]
    // Every row left out (a Google Ads export without customer.currencyCode), most of them, and a few: only the first two end partial.
    [InlineData(0, 720, true)]
    [InlineData(300, 420, true)]
    [InlineData(700, 20, false)]
    public async Task A_load_that_left_out_most_of_what_it_read_ends_partial_with_the_reason_and_its_first_rows_and_keeps_the_watermark(
        long rows, long rejected, bool partial)
    {
        var runId = await Request(MarketingSources.Meta);
        await Archived(runId, 1);
        await InState(runId, m => m.Upserting);
        await _harness.Bus.Publish(new MarketingReportUpserted(runId, Shop, MarketingSources.Meta, $"raw/meta/{Shop}/m1/manifest.json", rows, rejected,
            Yesterday.AddDays(-179), Yesterday, null, null,
            ["page 1, [0].results[0]: customer.currencyCode is missing", "page 1, [0].results[1]: customer.currencyCode is missing"]));
        await InState(runId, m => m.Transforming);
        await _harness.Bus.Publish(new MartsRefreshed(runId, Shop, 180));

        if (!partial)
        {
            Assert.Null((await InState(runId, m => m.Completed)).PartialReason);
            Assert.Equal(Yesterday, _watermarks.Marks[(Shop, MarketingSources.Meta)]);
            return;
        }
        var run = await InState(runId, m => m.Partial);
        Assert.StartsWith($"ROWS_REJECTED: {rejected} of {rows + rejected} rows were left out.", run.PartialReason);
        Assert.Contains("customer.currencyCode is missing", run.PartialReason);
        Assert.False(_watermarks.Marks.ContainsKey((Shop, MarketingSources.Meta)));
        Assert.True((await Published<MarketingSyncCompleted>(runId)).Partial);
    }

    [Fact]
    public async Task A_fetch_whose_answer_is_lost_is_sent_again_when_its_wait_ends()
    {
        var runId = await Request(MarketingSources.Ga4);
        await Elapse(runId);
        Assert.Equal(2, await Count<FetchMarketingReport>(runId, 2));
        Assert.All(_harness.Published.Select<FetchMarketingReport>().Where(f => f.Context.Message.RunId == runId),
            f => Assert.Equal(1, f.Context.Message.Attempt));
    }

    [Fact]
    public async Task A_fetch_that_faults_because_the_store_is_away_waits_durably_and_fetches_again_under_a_new_attempt()
    {
        var runId = NewId.NextGuid();
        Outage.Runs[runId] = Outage.Kind.Transient;
        await _harness.Bus.Publish(new MarketingSyncRequested(runId, Shop, MarketingSources.Meta, "user", _clock.GetUtcNow(), null, null));

        Assert.True(await _saga.Consumed.Any<Fault<FetchMarketingReport>>(x => x.Context.Message.Message.RunId == runId));
        var waiting = await InState(runId, m => m.Requested);
        Assert.Equal((2, 1), (waiting.Attempt, waiting.RetryAttempts));
        Assert.StartsWith("INFRASTRUCTURE_UNAVAILABLE: Amazon.S3.AmazonS3Exception", waiting.LastRetryReason);
        Assert.NotNull(waiting.ResumeAt);
        Assert.Null(waiting.Error);

        await Elapse(runId);
        Assert.Equal(2, await Count<FetchMarketingReport>(runId, expected: 2));
        Assert.Equal(2, _harness.Published.Select<FetchMarketingReport>().Last(f => f.Context.Message.RunId == runId).Context.Message.Attempt);
        Assert.Equal("Requested", Instance(runId).CurrentState);
    }

    [Fact]
    public async Task A_load_that_faults_because_the_database_restarted_waits_and_loads_again()
    {
        var runId = await Request(MarketingSources.Meta);
        Outage.Runs[runId] = Outage.Kind.Transient;
        await Archived(runId, 1);

        Assert.True(await _saga.Consumed.Any<Fault<UpsertMarketingReport>>(x => x.Context.Message.Message.RunId == runId));
        var waiting = await InState(runId, m => m.Upserting);
        Assert.Equal(1, waiting.RetryAttempts);
        Assert.StartsWith("INFRASTRUCTURE_UNAVAILABLE: Npgsql.PostgresException", waiting.LastRetryReason);

        await Elapse(runId);
        Assert.Equal(2, await Count<UpsertMarketingReport>(runId, expected: 2));
        Assert.Equal("Upserting", Instance(runId).CurrentState);
    }

    [Fact]
    public async Task A_transient_fault_past_the_retry_budget_or_a_fault_of_the_command_itself_fails_the_run()
    {
        var late = await Request(MarketingSources.Meta);
        _clock.Advance(TimeSpan.FromMinutes(59.9)); // a first backoff of up to 30 s would end past the 1 h budget
        Outage.Runs[late] = Outage.Kind.Transient;
        await Archived(late, 1);
        var failed = await InState(late, m => m.Failed);
        Assert.Equal("upserting", failed.FailedStep);
        Assert.StartsWith("Retry budget of 1 h exhausted after 0 retries; last error Npgsql.PostgresException", failed.Error);

        var broken = await Request(MarketingSources.Meta);
        Outage.Runs[broken] = Outage.Kind.Permanent;
        await Archived(broken, 1);
        failed = await InState(broken, m => m.Failed);
        Assert.Equal("upserting", failed.FailedStep);
        Assert.Contains("the manifest names a page that is not there", failed.Error);
    }

    /// <summary>The Connector's fetch and the Transform's load, giving up once with an exception for the runs listed.</summary>
    private sealed class Outage : IConsumer<FetchMarketingReport>, IConsumer<UpsertMarketingReport>
    {
        public enum Kind { Transient, Permanent }

        public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, Kind> Runs = new();
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, string), int> Attempts = new();

        public Task Consume(ConsumeContext<FetchMarketingReport> context) =>
            FailOnce(context.Message.RunId, "fetch", () => new Amazon.S3.AmazonS3Exception("The store did not answer"));

        public Task Consume(ConsumeContext<UpsertMarketingReport> context) =>
            FailOnce(context.Message.RunId, "upsert",
                () => new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"));

        private static Task FailOnce(Guid runId, string step, Func<Exception> transient)
        {
            if (!Runs.TryGetValue(runId, out var kind) || Attempts.AddOrUpdate((runId, step), 1, (_, n) => n + 1) > 1) return Task.CompletedTask;
            throw kind == Kind.Transient ? transient() : new InvalidOperationException("the manifest names a page that is not there");
        }
    }

    private async Task<int> Count<T>(Guid runId, int expected) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        int count;
        do
        {
            count = _harness.Published.Select<T>().Count(x => RunOf(x.Context.Message) == runId);
            if (count >= expected) break;
            await Task.Delay(20);
        } while (DateTime.UtcNow < deadline);
        return count;
    }

    private sealed class MemoryWatermarks : IMarketingWatermarks
    {
        public Dictionary<(string Shop, string Source), DateOnly> Marks { get; } = [];

        public Task<DateOnly?> Current(string shop, string source, CancellationToken cancellationToken) =>
            Task.FromResult(Marks.TryGetValue((shop, source), out var mark) ? mark : (DateOnly?)null);

        public Task Advance(string shop, string source, DateOnly since, DateOnly through, Guid runId, CancellationToken cancellationToken)
        {
            if (!Marks.TryGetValue((shop, source), out var mark) || (mark < through && mark >= since.AddDays(-1))) Marks[(shop, source)] = through;
            return Task.CompletedTask;
        }
    }
}
