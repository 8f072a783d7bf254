using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.ServiceDefaults.Messaging;
using MassTransit;

namespace GrowthOs.IngestSaga.Tests;

public sealed class RetryTests
{
    private const string OperationId = "gid://shopify/BulkOperation/9";

    [Fact]
    public async Task Another_bulk_query_in_progress_makes_the_run_wait_and_ask_again()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "OPERATION_IN_PROGRESS", "already in progress"));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));

        var run = test.Instance(runId);
        Assert.Equal(nameof(test.Machine.Requested), run.CurrentState);
        Assert.Equal(1, run.RetryAttempts);
        Assert.InRange(run.ResumeAt!.Value - test.Now, TimeSpan.FromSeconds(test.Options.BusyWaitSeconds - 5),
            TimeSpan.FromSeconds(test.Options.BusyWaitSeconds));

        await test.ElapseCurrentWait(runId);
        Assert.Equal(2, await test.Published<StartBulkExtraction>(x => x.RunId == runId, expected: 2));
    }

    [Fact]
    public async Task A_transient_failure_waits_its_backoff_with_the_jitter_drawn_from_the_service_s_source()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "THROTTLED", "Throttled"));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));

        // The harness's jitter is seeded: its first draw is the first number of that seed.
        var expected = Backoff.Delay("THROTTLED", 0, test.Options, new Random(BulkSyncHarness.JitterSeed).NextDouble());
        Assert.Equal(test.Now + expected, test.Instance(runId).ResumeAt);
    }

    [Fact]
    public async Task A_wait_Shopify_asked_for_is_kept_when_it_is_longer_than_the_backoff()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "HTTP_429", "Shopify answered HTTP 429",
            RetryAfterSeconds: 1_800));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));

        Assert.True(TimeSpan.FromSeconds(1_800) > Backoff.Delay("HTTP_429", 0, test.Options, 1), "the test needs a Retry-After longer than any first backoff");
        Assert.Equal(test.Now + TimeSpan.FromSeconds(1_800), test.Instance(runId).ResumeAt);
    }

    [Fact]
    public async Task A_wait_Shopify_asked_for_that_is_shorter_than_the_backoff_leaves_the_backoff()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "HTTP_429", "Shopify answered HTTP 429",
            RetryAfterSeconds: 0.5));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));

        var expected = Backoff.Delay("HTTP_429", 0, test.Options, new Random(BulkSyncHarness.JitterSeed).NextDouble());
        Assert.True(expected > TimeSpan.FromSeconds(0.5));
        Assert.Equal(test.Now + expected, test.Instance(runId).ResumeAt);
    }

    [Fact]
    public async Task A_run_fails_rather_than_retry_past_its_budget()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun(requestedAt: test.Now.AddHours(-12));
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "THROTTLED", "Throttled"));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal("requested", run.FailedStep);
        Assert.Contains("Retry budget of 12 h exhausted", run.Error);
        Assert.Contains("THROTTLED", run.Error);
    }

    [Fact]
    public async Task An_interrupted_download_is_tried_again_after_the_wait()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 2, 1, 10));
        await test.InState(runId, m => m.Downloading);

        // A start's deferral, late, names only the entity: it retries nothing here. The download's names its operation.
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "THROTTLED", "late start"));
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "DOWNLOAD_INTERRUPTED", "connection reset",
            OperationId));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId && x.Context.Message.ErrorCode == "THROTTLED"));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(
            x => x.Context.Message.RunId == runId && x.Context.Message.ErrorCode == "DOWNLOAD_INTERRUPTED"));
        await test.ElapseCurrentWait(runId);

        Assert.Equal(2, await test.Published<ArchiveBulkOperationResult>(x => x.RunId == runId && x.BulkOperationId == OperationId, expected: 2));
        var run = test.Instance(runId);
        Assert.Equal((1, "DOWNLOAD_INTERRUPTED: connection reset"), (run.RetryAttempts, run.LastRetryReason));
    }

    [Fact]
    public async Task A_consumer_that_gives_up_with_an_exception_fails_the_run_with_its_message()
    {
        await using var test = await BulkSyncHarness.Start(configure: bus => bus.AddConsumer<ExplodingUpsertConsumer>());
        var runId = await ArchiveOrders(test);

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal("upserting", run.FailedStep);
        Assert.Contains("the database is gone", run.Error);
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task A_database_outage_during_the_load_waits_durably_and_loads_again_instead_of_failing_the_entity()
    {
        await using var test = await BulkSyncHarness.Start(configure: bus => bus.AddConsumer<DatabaseOutage>());
        var runId = await ArchiveOrders(test);

        // The fault waits (the run stays upserting, its wait set) instead of failing the entity; the wake-up loads again.
        Assert.True(await test.Saga.Consumed.Any<Fault<UpsertArchivedRecords>>(x => x.Context.Message.Message.RunId == runId));
        var waiting = test.Instance(runId);
        Assert.Equal(("Upserting", 1), (waiting.CurrentState, waiting.RetryAttempts));
        Assert.StartsWith("INFRASTRUCTURE_UNAVAILABLE: Npgsql.NpgsqlException", waiting.LastRetryReason);
        Assert.NotNull(waiting.ResumeAt);
        await test.ElapseCurrentWait(runId);

        Assert.Equal(1, await test.Published<RefreshMarts>(x => x.RunId == runId, expected: 1));
        Assert.Equal(2, DatabaseOutage.Attempts[runId]);
        Assert.Null(test.Instance(runId).Error);
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new Npgsql.NpgsqlException("Exception while connecting", new System.Net.Sockets.SocketException(111)), true },
        { new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new Npgsql.PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { new Npgsql.PostgresException("deadlock detected", "ERROR", "ERROR", "40P01"), true },
        { new InvalidOperationException("wrapped", new TimeoutException("the store did not answer")), true },
        { new HttpRequestException("Connection refused (127.0.0.1:55690)"), true },
        { new Amazon.S3.AmazonS3Exception("Service Unavailable"), true },
        { new Npgsql.PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", "23505"), false },
        { new InvalidOperationException("wrapped", new Npgsql.PostgresException("value too long", "ERROR", "ERROR", "22001")), false },
        { new InvalidOperationException("the database is gone"), false },
        { new FormatException("Line 2 of the bulk file is not valid JSON"), false },
    };

    /// <summary>
    /// One classification for a thrown exception (a consumer's retry) and for a fault as a saga receives it: the
    /// infrastructure away, not the command wrong.
    /// </summary>
    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_transient_when_the_infrastructure_failed_not_the_command(Exception exception, bool transient)
    {
        Assert.Equal(transient, InfrastructureFaults.IsTransient(exception));
        Assert.Equal(transient, InfrastructureFaults.IsTransient(new MassTransit.Events.FaultExceptionInfo(exception)));
    }

    /// <summary>A run whose orders operation completed and was archived: its upsert is sent next.</summary>
    private static async Task<Guid> ArchiveOrders(BulkSyncHarness test)
    {
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 2, 1, 10));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/r.jsonl", 10, 2));
        return runId;
    }

    /// <summary>A load whose database is away for each run's first attempt, then answers.</summary>
    private sealed class DatabaseOutage : IConsumer<UpsertArchivedRecords>
    {
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Attempts = new();

        public async Task Consume(ConsumeContext<UpsertArchivedRecords> context)
        {
            if (Attempts.AddOrUpdate(context.Message.RunId, 1, (_, n) => n + 1) == 1)
                throw new Npgsql.NpgsqlException("Exception while connecting", new System.Net.Sockets.SocketException(111));
            var m = context.Message;
            await context.Publish(new ArchivedRecordsUpserted(m.RunId, m.ShopDomain, m.Entity, m.ArchiveKey, 2, 1, 1, 0, DateTimeOffset.UtcNow,
                new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)));
        }
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 30)]
    [InlineData(3, 120)]
    [InlineData(10, 900)]
    public void Backoff_doubles_up_to_the_cap_before_jitter(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Delay("THROTTLED", attempt, new BulkSyncOptions(), jitter: 1));

    [Fact]
    public void Jitter_takes_between_half_and_all_of_the_backoff()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff.Delay("HTTP_503", 2, new BulkSyncOptions(), jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(45), Backoff.Delay("HTTP_503", 2, new BulkSyncOptions(), jitter: 0.5));
    }

    [Theory]
    [InlineData("OPERATION_IN_PROGRESS")]
    [InlineData("LIMIT_REACHED")]
    public void A_busy_bulk_slot_waits_the_busy_wait(string code) =>
        Assert.Equal(TimeSpan.FromSeconds(60), Backoff.Delay(code, 7, new BulkSyncOptions(), jitter: 0));

    private sealed class ExplodingUpsertConsumer : IConsumer<UpsertArchivedRecords>
    {
        public Task Consume(ConsumeContext<UpsertArchivedRecords> context) => throw new InvalidOperationException("the database is gone");
    }
}
