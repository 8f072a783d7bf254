using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.Contracts.Transform;
using MassTransit;
using MassTransit.Testing;

namespace GrowthOs.IngestSaga.Tests;

public sealed class BulkSyncStateMachineTests
{
    private const string OperationId = "gid://shopify/BulkOperation/42";

    [Fact]
    public async Task A_sync_request_asks_the_connector_for_a_bulk_query_from_the_watermark_floor()
    {
        await using var test = await BulkSyncHarness.Start();
        var before = test.Now;
        var runId = await test.StartRun();

        var start = await test.Harness.FirstPublished<StartBulkExtraction>(m => m.RunId == runId);
        Assert.Equal(BulkSyncHarness.Shop, start.ShopDomain);
        Assert.Equal("orders", start.Entity);
        var floor = before.AddDays(-test.Options.WatermarkFloorDays);
        Assert.InRange(start.UpdatedSince!.Value, floor, test.Now.AddDays(-test.Options.WatermarkFloorDays));
        Assert.Equal(["initiated", "requested"], test.Instance(runId).Steps.Select(s => s.Step));
    }

    [Fact]
    public async Task The_same_run_id_sent_twice_starts_one_run()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", test.Now, ["orders"]));

        Assert.True(await test.Harness.Consumed.Any<SyncRequested>(x => x.Context.Message.RunId == runId && x.Context.Message.Initiator == "user"));
        await test.Harness.InactivityTask;
        Assert.Single(test.Saga.Sagas.Select(x => x.CorrelationId == runId).ToList());
        Assert.Equal(1, await test.Harness.Published.SelectAsync<StartBulkExtraction>(x => x.Context.Message.RunId == runId).Count());
    }

    [Fact]
    public async Task A_started_operation_waits_durably_before_the_first_poll()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));

        var run = await test.InState(runId, m => m.Polling);
        Assert.Equal(OperationId, run.BulkOperationId);
        // Wait 1 awaited the start's answer; wait 2 is the one before the first poll.
        Assert.Equal(2, run.WaitToken);
        Assert.NotNull(run.ResumeAt);
        Assert.Equal(test.Options.FirstPollDelay, run.ResumeAt!.Value - test.Now);
        await test.Harness.InactivityTask;
        Assert.False(await test.Harness.Published.Any<PollBulkOperation>());
    }

    [Fact]
    public async Task The_end_of_a_wait_sends_one_poll_and_a_stale_wake_up_sends_none()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);

        var wait = await test.ElapseCurrentWait(runId);
        var poll = await test.Harness.FirstPublished<PollBulkOperation>(m => m.RunId == runId);
        Assert.Equal(1, poll.Attempt);
        Assert.Equal(OperationId, poll.BulkOperationId);

        await test.RepeatWakeUp(runId, wait);
        await test.Harness.InactivityTask;
        Assert.Equal(1, await test.Harness.Published.SelectAsync<PollBulkOperation>(x => x.Context.Message.RunId == runId).Count());
        // What waits now is the poll's answer: should none come, the poll is sent again.
        var waiting = test.Instance(runId);
        Assert.Equal(3, waiting.WaitToken);
        Assert.InRange(waiting.ResumeAt!.Value - test.Now, test.Options.CommandResendInterval - TimeSpan.FromSeconds(30), test.Options.CommandResendInterval);
    }

    [Fact]
    public async Task A_running_operation_starts_the_next_wait()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        await test.ElapseCurrentWait(runId);
        Assert.True(await test.Harness.Published.Any<PollBulkOperation>(x => x.Context.Message.RunId == runId));

        await test.Harness.Bus.Publish(new BulkOperationStillRunning(runId, OperationId, 1, "RUNNING", 1234));
        Assert.True(await test.Harness.Consumed.Any<BulkOperationStillRunning>(x => x.Context.Message.RunId == runId));
        await test.Harness.InactivityTask;

        var run = test.Instance(runId);
        Assert.Equal(nameof(test.Machine.Polling), run.CurrentState);
        Assert.Equal(4, run.WaitToken);
        Assert.NotNull(run.ResumeAt);
        Assert.Equal(1234, run.ObjectCount);
    }

    [Fact]
    public async Task The_run_fails_when_the_operation_outlives_the_poll_attempts()
    {
        await using var test = await BulkSyncHarness.Start(maxPollAttempts: 1);
        var runId = await StartPolling(test);
        await test.ElapseCurrentWait(runId);
        Assert.True(await test.Harness.Published.Any<PollBulkOperation>(x => x.Context.Message.RunId == runId));
        await test.Harness.Bus.Publish(new BulkOperationStillRunning(runId, OperationId, 1, "RUNNING", 10));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal("polling", run.FailedStep);
        Assert.Contains("after 1 polls", run.Error);
        Assert.Null(run.ResumeAt);
        Assert.True(await test.Harness.Published.Any<SyncFailed>(x => x.Context.Message.RunId == runId));
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task A_completed_run_goes_through_every_step_and_advances_the_watermark_to_the_newest_update_fetched()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        var newest = new DateTimeOffset(2026, 11, 20, 17, 3, 9, TimeSpan.Zero);

        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 30, 10, 4096));
        var archive = await test.Harness.FirstPublished<ArchiveBulkOperationResult>(m => m.RunId == runId);
        Assert.Equal((OperationId, BulkSyncHarness.Shop, "orders"), (archive.BulkOperationId, archive.ShopDomain, archive.Entity));

        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/key.jsonl", 4096, 30));
        var upsert = await test.Harness.FirstPublished<UpsertArchivedRecords>(m => m.RunId == runId);
        Assert.Equal("raw/key.jsonl", upsert.ArchiveKey);

        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/key.jsonl", 30, 10, 20, 0, newest,
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 20)));
        var refresh = await test.Harness.FirstPublished<RefreshMarts>(m => m.RunId == runId);
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 20)), (refresh.From, refresh.To));

        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));
        var run = await test.InState(runId, m => m.Completed);

        Assert.Equal(["initiated", "requested", "polling", "downloading", "upserting", "transforming", "completed"], run.Steps.Select(s => s.Step));
        Assert.All(run.Steps.SkipLast(1), s => Assert.NotNull(s.EndedAt));
        Assert.Equal((BulkSyncHarness.Shop, "orders", newest, runId), Assert.Single(test.Watermarks.Advances));
        var completed = await test.Harness.FirstPublished<SyncCompleted>(m => m.RunId == runId);
        Assert.Equal(10, completed.OrdersUpserted);
        Assert.Equal(7, await test.Harness.Published.SelectAsync<SyncStepChanged>(x => x.Context.Message.RunId == runId).Count());
    }

    [Fact]
    public async Task A_watermark_never_passes_the_moment_the_bulk_query_was_asked_for()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartTransformingWith(test, newest: test.Now.AddDays(2));
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 1));

        var run = await test.InState(runId, m => m.Completed);
        var advance = Assert.Single(test.Watermarks.Advances);
        Assert.Equal(run.Steps.Single(s => s.Step == "requested").StartedAt, advance.Through);
    }

    [Fact]
    public async Task An_empty_run_completes_without_moving_the_watermark()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 0, 0, 0));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/empty.jsonl", 0, 0));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/empty.jsonl", 0, 0, 0, 0, null, null, null));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 0));

        await test.InState(runId, m => m.Completed);
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task Watermark_does_not_advance_when_the_extraction_fails()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, "orders", "ACCESS_DENIED", "read_orders scope missing",
            OperationId));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal("polling", run.FailedStep);
        Assert.Equal("ACCESS_DENIED: read_orders scope missing", run.Error);
        Assert.Empty(test.Watermarks.Advances);
        var failed = await test.Harness.FirstPublished<SyncFailed>(m => m.RunId == runId);
        Assert.Equal("polling", failed.Step);
    }

    [Fact]
    public async Task Watermark_does_not_advance_when_the_upsert_fails()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 3, 1, 100));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/r.jsonl", 100, 3));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new TransformFailed(runId, BulkSyncHarness.Shop, "upserting", "Line 2 of the bulk file is not valid JSON",
            "raw/r.jsonl"));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal("upserting", run.FailedStep);
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task A_replay_goes_straight_to_upserting_and_never_moves_the_watermark()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = NewId.NextGuid();
        await test.Harness.Bus.Publish(new ReplayRequested(runId, BulkSyncHarness.Shop, "orders", "raw/old.jsonl", test.Now));

        var run = await test.InState(runId, m => m.Upserting);
        Assert.Equal(JobTypes.Replay, run.JobType);
        var upsert = await test.Harness.FirstPublished<UpsertArchivedRecords>(m => m.RunId == runId);
        Assert.Equal("raw/old.jsonl", upsert.ArchiveKey);
        Assert.False(await test.Harness.Published.Any<StartBulkExtraction>(x => x.Context.Message.RunId == runId));

        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/old.jsonl", 14, 5, 9, 0, test.Now,
            new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2)));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 2));
        await test.InState(runId, m => m.Completed);
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task A_backfill_reads_its_creation_range_ignoring_the_watermark_and_never_moves_it()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = NewId.NextGuid();
        await test.Harness.Bus.Publish(new BackfillRequested(runId, BulkSyncHarness.Shop, new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30), test.Now));

        var run = await test.InState(runId, m => m.Requested);
        Assert.Equal(JobTypes.FullBackfill, run.JobType);
        var start = await test.Harness.FirstPublished<StartBulkExtraction>(m => m.RunId == runId);
        Assert.Null(start.UpdatedSince);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), start.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), start.CreatedBefore);

        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, "orders", "OPERATION_IN_PROGRESS", "daily sync running"));
        Assert.True(await test.Saga.Consumed.Any<BulkExtractionDeferred>(x => x.Context.Message.RunId == runId));
        Assert.InRange(test.Instance(runId).ResumeAt!.Value - test.Now, TimeSpan.FromSeconds(test.Options.BackfillBusyWaitSeconds - 5),
            TimeSpan.FromSeconds(test.Options.BackfillBusyWaitSeconds));

        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 3, 1, 100));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/b.jsonl", 100, 3));
        var upsert = await test.Harness.FirstPublished<UpsertArchivedRecords>(m => m.RunId == runId);
        Assert.Equal(test.Options.BackfillChunkSize, upsert.ChunkSize);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/b.jsonl", 3, 1, 2, 0, test.Now,
            new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 1)));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 1));

        await test.InState(runId, m => m.Completed);
        Assert.Empty(test.Watermarks.Advances);
    }

    [Fact]
    public async Task Partial_data_of_a_failed_operation_is_loaded_but_the_run_ends_partial_without_moving_the_watermark()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 5, 2, 100, Partial: true, ErrorCode: "INTERNAL_SERVER_ERROR"));
        var archive = await test.Harness.FirstPublished<ArchiveBulkOperationResult>(m => m.RunId == runId);
        Assert.Equal(OperationId, archive.BulkOperationId);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/p.jsonl", 100, 5));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/p.jsonl", 5, 2, 3, 0, test.Now,
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 2));

        var run = await test.InState(runId, m => m.Partial);
        Assert.Equal("partial", run.Steps[^1].Step);
        Assert.Empty(test.Watermarks.Advances);
        var completed = await test.Harness.FirstPublished<SyncCompleted>(m => m.RunId == runId);
        Assert.True(completed.Partial);
        Assert.Null(completed.UpdatedThrough);
    }

    [Fact]
    public async Task A_transform_failure_while_transforming_fails_the_run_there()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartTransforming(test);
        await test.Harness.Bus.Publish(new TransformFailed(runId, BulkSyncHarness.Shop, "transforming", "a critical data-quality check failed"));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Equal(("transforming", "a critical data-quality check failed"), (run.FailedStep, run.Error));
        Assert.Empty(test.Watermarks.Advances);
    }

    private static Task<Guid> StartTransforming(BulkSyncHarness test) => StartTransformingWith(test, test.Now.AddDays(-1));

    private static async Task<Guid> StartTransformingWith(BulkSyncHarness test, DateTimeOffset newest)
    {
        var runId = await StartPolling(test);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 2, 1, 10));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", "raw/r.jsonl", 10, 2));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", "raw/r.jsonl", 2, 1, 1, 0, newest,
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)));
        await test.InState(runId, m => m.Transforming);
        return runId;
    }

    [Fact]
    public async Task A_finish_webhook_polls_the_run_at_once_and_a_notice_of_another_operation_does_nothing()
    {
        await using var test = await BulkSyncHarness.Start(completionWebhooks: true);
        var runId = await StartPolling(test);
        var waiting = test.Instance(runId).WaitToken;

        await test.Harness.Bus.Publish(new BulkOperationFinishNotified(runId, BulkSyncHarness.Shop, OperationId, "completed", test.Now));
        var poll = await test.Harness.FirstPublished<PollBulkOperation>(m => m.RunId == runId);
        Assert.Equal((OperationId, 1), (poll.BulkOperationId, poll.Attempt));

        await test.Harness.Bus.Publish(new BulkOperationFinishNotified(runId, BulkSyncHarness.Shop, "gid://shopify/BulkOperation/999", "completed", test.Now));
        await test.Harness.InactivityTask;
        Assert.Equal(1, await test.Harness.Published.SelectAsync<PollBulkOperation>(x => x.Context.Message.RunId == runId).Count());
        // The interval's wait is over: what waits now is the poll's answer. The run counts the poll as one the notice made.
        Assert.True(test.Instance(runId).WaitToken > waiting);
        Assert.Equal((1, 1), (test.Instance(runId).PollAttempts, test.Instance(runId).PollsOnNotice));
    }

    [Fact]
    public async Task With_webhooks_the_first_poll_comes_at_the_poll_interval_and_the_waits_after_it_double_up_to_the_fallback_interval()
    {
        await using var test = await BulkSyncHarness.Start(completionWebhooks: true);
        var runId = await StartPolling(test);
        Assert.Equal(TimeSpan.FromSeconds(16), test.Instance(runId).ResumeAt!.Value - test.Now);

        // 16 s, then 32, 64, and the fallback's 120 from then on (128 would be more).
        var waits = new List<double>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await test.ElapseCurrentWait(runId);
            await test.Harness.FirstPublished<PollBulkOperation>(m => m.RunId == runId && m.Attempt == attempt);
            await test.Harness.Bus.Publish(new BulkOperationStillRunning(runId, OperationId, attempt, "RUNNING", 10));
            Assert.True(await test.Saga.Consumed.Any<BulkOperationStillRunning>(x => x.Context.Message.RunId == runId && x.Context.Message.Attempt == attempt));
            waits.Add((test.Instance(runId).ResumeAt!.Value - test.Now).TotalSeconds);
        }
        Assert.Equal([32d, 64d, 120d, 120d], waits);
        Assert.Equal((16, 120), (test.Options.PollIntervalSeconds, test.Options.WebhookFallbackPollSeconds));
    }

    [Fact]
    public async Task Without_webhooks_every_poll_comes_at_the_poll_interval()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await StartPolling(test);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await test.ElapseCurrentWait(runId);
            await test.Harness.FirstPublished<PollBulkOperation>(m => m.RunId == runId && m.Attempt == attempt);
            await test.Harness.Bus.Publish(new BulkOperationStillRunning(runId, OperationId, attempt, "RUNNING", 10));
            Assert.True(await test.Saga.Consumed.Any<BulkOperationStillRunning>(x => x.Context.Message.RunId == runId && x.Context.Message.Attempt == attempt));
            Assert.Equal(TimeSpan.FromSeconds(test.Options.PollIntervalSeconds), test.Instance(runId).ResumeAt!.Value - test.Now);
        }
    }

    private static async Task<Guid> StartPolling(BulkSyncHarness test)
    {
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        return runId;
    }
}
