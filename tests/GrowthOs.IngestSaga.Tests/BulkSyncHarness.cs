using GrowthOs.Contracts.Ingest;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.DurableWaits;
using GrowthOs.IngestSaga.Watermarks;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>
/// The bulk-sync state machine on MassTransit's in-memory test harness, with watermarks kept in memory, a clock that
/// moves only when a test moves it, and a seeded jitter: every time and every wait is known in advance.
/// </summary>
public sealed class BulkSyncHarness : IAsyncDisposable
{
    public const string Shop = "test-shop.myshopify.com";

    /// <summary>The seed of the harness's jitter.</summary>
    public const int JitterSeed = 42;

    private readonly ServiceProvider _provider;

    private BulkSyncHarness(ServiceProvider provider, RecordingWatermarks watermarks, FakeTimeProvider clock)
    {
        _provider = provider;
        Clock = clock;
        Watermarks = watermarks;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<BulkSyncStateMachine, BulkSyncState>();
        Machine = provider.GetRequiredService<BulkSyncStateMachine>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<BulkSyncStateMachine, BulkSyncState> Saga { get; }
    public BulkSyncStateMachine Machine { get; }
    public RecordingWatermarks Watermarks { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>The harness's present.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();
    public BulkSyncOptions Options => _provider.GetRequiredService<IOptions<BulkSyncOptions>>().Value;

    public static async Task<BulkSyncHarness> Start(int maxPollAttempts = 128, Action<IBusRegistrationConfigurator>? configure = null, bool loadHistory = false,
        bool completionWebhooks = false)
    {
        var watermarks = new RecordingWatermarks();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero));
        var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(new Jitter(new Random(JitterSeed)))
            .AddSingleton<IWatermarkStore>(watermarks)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(new BulkSyncOptions
            {
                Shops = [Shop], MaxPollAttempts = maxPollAttempts, LoadHistory = loadHistory, CompletionWebhooks = completionWebhooks,
            }))
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddBulkSyncSaga().InMemoryRepository();
                configure?.Invoke(bus);
            })
            .BuildServiceProvider(validateScopes: true);
        var harness = new BulkSyncHarness(provider, watermarks, clock);
        // Waits for an expected message end at the first quiet spell this long: long enough for a machine busy with other test runs.
        harness.Harness.TestInactivityTimeout = TimeSpan.FromSeconds(10);
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Requests a run and waits until it asked the Connector for its bulk query.</summary>
    public async Task<Guid> StartRun(DateTimeOffset? requestedAt = null)
    {
        var runId = NewId.NextGuid();
        await Harness.Bus.Publish(new SyncRequested(runId, Shop, "user", requestedAt ?? Now, ["orders"]));
        Assert.True((await Saga.Exists(runId, m => m.Requested)).HasValue, "the run did not reach Requested");
        return runId;
    }

    /// <summary>
    /// How many <typeparamref name="T"/> matching <paramref name="filter"/> were published, waiting up to 5 s for <paramref name="expected"/>.
    /// </summary>
    public async Task<int> Published<T>(Func<T, bool> filter, int expected) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        int count;
        do
        {
            count = Harness.Published.Select<T>().Count(x => filter(x.Context.Message));
            if (count >= expected) break;
            await Task.Delay(20);
        } while (DateTime.UtcNow < deadline);
        return count;
    }

    /// <summary>
    /// Ends the run's current durable wait as the dispatcher does once it is due: the clock moves to the wait's end, and
    /// the wake-up names the run's current wait. Returns that wait's token.
    /// </summary>
    public async Task<int> ElapseCurrentWait(Guid runId)
    {
        var run = Instance(runId);
        var due = run.ResumeAt ?? throw new InvalidOperationException($"Run {runId} is not waiting; it is {run.CurrentState}.");
        // The instance is the repository's own: read its token before the wake-up, whose resend starts the next wait.
        var token = run.WaitToken;
        if (due > Now) Clock.SetUtcNow(due);
        await Harness.Bus.Publish(new SyncWaitElapsed(runId, token));
        return token;
    }

    /// <summary>A wake-up of an earlier wait of the run, late or repeated (at-least-once delivery).</summary>
    public Task RepeatWakeUp(Guid runId, int earlierWaitToken) => Harness.Bus.Publish(new SyncWaitElapsed(runId, earlierWaitToken));

    public BulkSyncState Instance(Guid runId) =>
        Saga.Sagas.Contains(runId) ?? throw new InvalidOperationException($"No saga {runId}.");

    /// <summary>Waits until the run is in <paramref name="state"/> and returns it.</summary>
    public async Task<BulkSyncState> InState(Guid runId, Func<BulkSyncStateMachine, MassTransit.State> state)
    {
        Assert.True((await Saga.Exists(runId, state)).HasValue, $"run {runId} did not reach {state(Machine).Name}; it is {Instance(runId).CurrentState}");
        return Instance(runId);
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}

/// <summary>Watermarks in memory, recording every advance.</summary>
public sealed class RecordingWatermarks : IWatermarkStore
{
    public Dictionary<(string Shop, string Entity), DateTimeOffset> Marks { get; } = new();
    public List<(string Shop, string Entity, DateTimeOffset Through, Guid RunId)> Advances { get; } = [];

    public Task<DateTimeOffset?> Current(string shop, string entity, CancellationToken cancellationToken)
    {
        lock (Marks)
            return Task.FromResult(Marks.TryGetValue((shop, entity), out var mark) ? mark : (DateTimeOffset?)null);
    }

    public Task Advance(string shop, string entity, DateTimeOffset updatedThrough, Guid runId, CancellationToken cancellationToken)
    {
        lock (Marks)
        {
            Advances.Add((shop, entity, updatedThrough, runId));
            if (!Marks.TryGetValue((shop, entity), out var mark) || mark < updatedThrough) Marks[(shop, entity)] = updatedThrough;
        }
        return Task.CompletedTask;
    }

    /// <summary>Each shop's history request: the backfill run that loads it, and the day it ends on.</summary>
    public Dictionary<string, (Guid RunId, DateOnly Before, Guid RequestedBy)> Histories { get; } = new();

    public Task<bool> HistoryRequested(string shop, CancellationToken cancellationToken)
    {
        lock (Histories) return Task.FromResult(Histories.ContainsKey(shop));
    }

    /// <summary>Each gap asked for: the backfill run that reads it, and the daily run that found it.</summary>
    public Dictionary<(string Shop, string Entity, DateTimeOffset Since), (Guid RunId, Guid RequestedBy)> Gaps { get; } = new();

    public Task<Guid> RequestGapBackfill(string shop, string entity, DateTimeOffset gapSince, Guid backfillRunId, Guid requestedBy,
        CancellationToken cancellationToken)
    {
        lock (Gaps)
        {
            if (!Gaps.TryGetValue((shop, entity, gapSince), out var asked)) Gaps[(shop, entity, gapSince)] = asked = (backfillRunId, requestedBy);
            return Task.FromResult(asked.RunId);
        }
    }

    public Task<Guid> RequestHistory(string shop, Guid backfillRunId, DateOnly before, Guid requestedBy, CancellationToken cancellationToken)
    {
        lock (Histories)
        {
            if (!Histories.TryGetValue(shop, out var asked)) Histories[shop] = asked = (backfillRunId, before, requestedBy);
            return Task.FromResult(asked.RunId);
        }
    }
}

public static class PublishedMessages
{
    /// <summary>
    /// The first <typeparamref name="T"/> published that matches <paramref name="filter"/>, waiting up to 10 s for it. The
    /// harness's own <c>SelectAsync</c> may end empty once it has gone quiet after an earlier wait, before a message the
    /// outbox sends after the saga is saved.
    /// </summary>
    public static async Task<T> FirstPublished<T>(this ITestHarness harness, Func<T, bool>? filter = null) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var found = harness.Published.Select<T>().Select(x => x.Context.Message).FirstOrDefault(m => filter?.Invoke(m) ?? true);
            if (found is not null) return found;
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"No {typeof(T).Name} was published within 10 s.");
            await Task.Delay(20);
        }
    }
}
