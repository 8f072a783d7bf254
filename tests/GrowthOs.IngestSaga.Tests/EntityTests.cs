using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using MassTransit;
using MassTransit.Testing;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>A run extracts its entities one after the other; a missing scope skips one entity and the others go on.</summary>
public sealed class EntityTests
{
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Entities_are_extracted_one_after_the_other_and_each_watermark_advances_on_its_own()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Products, Entities.Inventory, Entities.Customers]);

        await Load(test, runId, Entities.Orders, 1, Newest);
        // The catalogue is needed whole: a first run reads every product, whatever the floor of orders.
        Assert.Null((await NextStart(test, runId, Entities.Products)).UpdatedSince);
        await Load(test, runId, Entities.Products, 2, Newest.AddHours(-1));
        var inventory = await NextStart(test, runId, Entities.Inventory);
        Assert.Null(inventory.UpdatedSince);
        await Load(test, runId, Entities.Inventory, 3, Newest);
        await Load(test, runId, Entities.Customers, 4, Newest.AddHours(-2));

        var refresh = await PublishedOnce<RefreshMarts>(test, m => m.RunId == runId);
        Assert.Equal(new DateOnly(2026, 11, 1), refresh.From);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));
        var run = await test.InState(runId, m => m.Completed);

        Assert.Equal([Entities.Orders, Entities.Products, Entities.Inventory, Entities.Customers], run.EntityOutcomes.Select(o => o.Entity));
        Assert.All(run.EntityOutcomes, o => Assert.Equal(EntityStatus.Loaded, o.Status));
        Assert.Equal(4, run.Steps.Count(s => s.Step == Steps.Upserting));
        Assert.Equal([Entities.Orders, Entities.Products, Entities.Customers], test.Watermarks.Advances.Select(a => a.Entity));
        Assert.Equal(Newest.AddHours(-1), test.Watermarks.Advances.Single(a => a.Entity == Entities.Products).Through);
        Assert.Equal(4 * 3, run.RecordsUpserted);
        // Only the inventory, read whole, says what no longer exists, as of when its query was asked for.
        var upserts = test.Harness.Published.Select<UpsertArchivedRecords>().Select(x => x.Context.Message).Where(m => m.RunId == runId).ToList();
        var inventoryAsked = run.Steps.Single(s => s.Step == Steps.Requested && s.Entity == Entities.Inventory).StartedAt;
        Assert.Equal(inventoryAsked, upserts.Single(m => m.ArchiveKey.Contains("/inventory/")).CompleteAsOf);
        Assert.All(upserts.Where(m => !m.ArchiveKey.Contains("/inventory/")), m => Assert.Null(m.CompleteAsOf));
    }

    [Fact]
    public async Task A_late_event_of_an_entity_already_done_changes_nothing()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Products]);
        await Load(test, runId, Entities.Orders, 1, Newest);
        await NextStart(test, runId, Entities.Products);

        // A redelivered start of orders must not be taken for the products operation.
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, Entities.Orders, Operation(1), test.Now));
        await test.Harness.InactivityTask;
        var run = test.Instance(runId);
        Assert.Equal(nameof(BulkSyncStateMachine.Requested), run.CurrentState);
        Assert.Null(run.BulkOperationId);
    }

    [Fact]
    public async Task A_missing_scope_skips_that_entity_names_the_scope_and_the_run_ends_partial()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Customers, Entities.Products]);
        await Load(test, runId, Entities.Orders, 1, Newest);
        await NextStart(test, runId, Entities.Customers);
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Customers, "ACCESS_DENIED",
            "Access denied for customers field. Required access: `read_customers` access scope."));
        await Load(test, runId, Entities.Products, 2, Newest);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));

        var run = await test.InState(runId, m => m.Partial);
        var skipped = run.EntityOutcomes.Single(o => o.Entity == Entities.Customers);
        Assert.Equal(EntityStatus.Skipped, skipped.Status);
        Assert.Contains("read_customers", skipped.Error);
        Assert.Equal([Entities.Orders, Entities.Products], test.Watermarks.Advances.Select(a => a.Entity));
        var completed = await PublishedOnce<SyncCompleted>(test, m => m.RunId == runId);
        Assert.True(completed.Partial);
        Assert.Equal(Newest, completed.UpdatedThrough);
    }

    [Fact]
    public async Task A_scope_denied_while_polling_moves_on_without_a_stale_wait_waking_the_next_entity()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Customers]);
        await NextStart(test, runId, Entities.Orders);
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, Entities.Orders, Operation(1), test.Now));
        var polling = await test.InState(runId, m => m.Polling);
        var token = polling.WaitToken;
        Assert.NotNull(polling.ResumeAt);

        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Orders, "ACCESS_DENIED",
            "Required access: `read_orders` access scope.", Operation(1)));
        await NextStart(test, runId, Entities.Customers);
        Assert.NotEqual(token, test.Instance(runId).WaitToken);

        // The orders poll's wake-up, due now, must not start customers a second time.
        await test.RepeatWakeUp(runId, token);
        await test.Harness.InactivityTask;
        Assert.Equal(1, test.Harness.Published.Select<StartBulkExtraction>()
            .Count(x => x.Context.Message.RunId == runId && x.Context.Message.Entity == Entities.Customers));
    }

    [Fact]
    public async Task A_run_whose_every_entity_is_denied_fails_with_the_scope()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Customers]);
        foreach (var entity in new[] { Entities.Orders, Entities.Customers })
        {
            await NextStart(test, runId, entity);
            await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, entity, "ACCESS_DENIED",
                $"Required access: `read_{entity}` access scope."));
        }

        var run = await test.InState(runId, m => m.Failed);
        Assert.Contains("read_customers", run.Error);
        Assert.Empty(test.Watermarks.Advances);
        Assert.False(await test.Harness.Published.Any<RefreshMarts>(x => x.Context.Message.RunId == runId));
    }

    [Fact]
    public async Task A_late_deferral_or_failure_of_an_earlier_entity_or_operation_is_ignored()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Products]);
        await Load(test, runId, Entities.Orders, 1, Newest);
        await NextStart(test, runId, Entities.Products);
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, Entities.Products, Operation(2), test.Now));
        var polling = await test.InState(runId, m => m.Polling);
        var resumeAt = polling.ResumeAt;

        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, Entities.Orders, "THROTTLED", "late, about orders"));
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, Entities.Orders, "THROTTLED", "late poll", Operation(1)));
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Orders, "INTERNAL_SERVER_ERROR", "late poll",
            Operation(1)));
        await test.Harness.InactivityTask;

        var run = test.Instance(runId);
        Assert.Equal(nameof(BulkSyncStateMachine.Polling), run.CurrentState);
        Assert.Equal((0, null, resumeAt), (run.RetryAttempts, run.LastRetryReason, run.ResumeAt));
        Assert.DoesNotContain(run.EntityOutcomes, o => o.Entity == Entities.Products);
    }

    [Fact]
    public async Task An_entity_after_one_that_used_up_the_retry_budget_has_a_whole_budget_of_its_own()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Customers], requestedAt: test.Now.AddHours(-12));
        await NextStart(test, runId, Entities.Orders);
        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, Entities.Orders, "THROTTLED", "Throttled"));
        await NextStart(test, runId, Entities.Customers);

        await test.Harness.Bus.Publish(new BulkExtractionDeferred(runId, BulkSyncHarness.Shop, Entities.Customers, "THROTTLED", "Throttled"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (test.Instance(runId).RetryAttempts == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var run = test.Instance(runId);
        Assert.Equal((nameof(BulkSyncStateMachine.Requested), Entities.Customers, 1), (run.CurrentState, run.Entity, run.RetryAttempts));
        var orders = Assert.Single(run.EntityOutcomes);
        Assert.Equal(EntityStatus.Failed, orders.Status);
        Assert.Contains("Retry budget of 12 h exhausted", orders.Error);
    }

    [Fact]
    public async Task A_start_or_a_download_that_hears_nothing_back_is_sent_again()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders]);
        await NextStart(test, runId, Entities.Orders);
        await test.ElapseCurrentWait(runId);
        Assert.Equal(2, await test.Published<StartBulkExtraction>(m => m.RunId == runId && m.Entity == Entities.Orders, 2));

        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, Entities.Orders, Operation(1), test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, Operation(1), 3, 1, 100));
        var downloading = await test.InState(runId, m => m.Downloading);
        Assert.NotNull(downloading.ResumeAt);
        await test.ElapseCurrentWait(runId);
        Assert.Equal(2, await test.Published<ArchiveBulkOperationResult>(m => m.RunId == runId && m.BulkOperationId == Operation(1), 2));
    }

    [Fact]
    public async Task A_run_that_hears_nothing_back_sends_its_upsert_and_refresh_again()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders]);
        var key = await Archive(test, runId, Entities.Orders, 1);
        var upserting = await test.InState(runId, m => m.Upserting);
        Assert.NotNull(upserting.ResumeAt);
        var upsertWait = upserting.WaitToken;

        // The answer was lost: the wait elapses, and the same command goes out again.
        Assert.Equal(upsertWait, await test.ElapseCurrentWait(runId));
        Assert.Equal(2, await test.Published<UpsertArchivedRecords>(m => m.RunId == runId && m.ArchiveKey == key, 2));

        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, Entities.Orders, key, 3, 1, 2, 0, Newest,
            new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 20)));
        var transforming = await test.InState(runId, m => m.Transforming);
        Assert.NotEqual(upsertWait, transforming.WaitToken);
        await test.ElapseCurrentWait(runId);
        Assert.Equal(2, await test.Published<RefreshMarts>(m => m.RunId == runId && m.From == new DateOnly(2026, 11, 1), 2));

        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));
        var completed = await test.InState(runId, m => m.Completed);
        Assert.Null(completed.ResumeAt);
    }

    [Fact]
    public async Task A_later_entity_that_fails_keeps_what_the_earlier_ones_loaded_refreshed_and_their_watermarks_advanced()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Customers]);
        await Load(test, runId, Entities.Orders, 1, Newest);
        var customers = await Archive(test, runId, Entities.Customers, 2);
        await test.Harness.Bus.Publish(new TransformFailed(runId, BulkSyncHarness.Shop, Steps.Upserting, "Line 2 of the bulk file is not valid JSON",
            customers));

        var refresh = await PublishedOnce<RefreshMarts>(test, m => m.RunId == runId);
        Assert.Equal((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 20)), (refresh.From, refresh.To));
        // A repeated upsert reaching the same bad line fails again, late: it must not fail the refresh under way.
        await test.Harness.Bus.Publish(new TransformFailed(runId, BulkSyncHarness.Shop, Steps.Upserting, "Line 2 of the bulk file is not valid JSON",
            customers));
        await test.Harness.InactivityTask;
        Assert.Equal(nameof(BulkSyncStateMachine.Transforming), test.Instance(runId).CurrentState);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));
        var run = await test.InState(runId, m => m.Partial);

        Assert.Equal(EntityStatus.Loaded, run.EntityOutcomes.Single(o => o.Entity == Entities.Orders).Status);
        var failed = run.EntityOutcomes.Single(o => o.Entity == Entities.Customers);
        Assert.Equal(EntityStatus.Failed, failed.Status);
        Assert.Contains("Line 2", failed.Error);
        Assert.Equal([Entities.Orders], test.Watermarks.Advances.Select(a => a.Entity));
        Assert.True((await PublishedOnce<SyncCompleted>(test, m => m.RunId == runId)).Partial);
        Assert.False(await test.Harness.Published.Any<SyncFailed>(x => x.Context.Message.RunId == runId));
    }

    [Fact]
    public async Task An_entity_that_fails_first_does_not_stop_the_next_and_keeps_its_own_reason()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Products]);
        await NextStart(test, runId, Entities.Orders);
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Orders, "INTERNAL_SERVER_ERROR",
            "Shopify answered 500 five times"));
        await Load(test, runId, Entities.Products, 2, Newest);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 20));

        var run = await test.InState(runId, m => m.Partial);
        var failed = run.EntityOutcomes.Single(o => o.Entity == Entities.Orders);
        Assert.Equal(EntityStatus.Failed, failed.Status);
        Assert.Contains("INTERNAL_SERVER_ERROR", failed.Error);
        Assert.Equal([Entities.Products], test.Watermarks.Advances.Select(a => a.Entity));
    }

    [Fact]
    public async Task A_run_whose_entities_all_fail_fails_without_refreshing_anything()
    {
        await using var test = await BulkSyncHarness.Start();
        var runId = await Request(test, [Entities.Orders, Entities.Products]);
        await NextStart(test, runId, Entities.Orders);
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Orders, "INTERNAL_SERVER_ERROR", "orders went wrong"));
        await NextStart(test, runId, Entities.Products);
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, Entities.Products, "ACCESS_DENIED",
            "Required access: `read_products` access scope."));

        var run = await test.InState(runId, m => m.Failed);
        Assert.Contains("read_products", run.Error);
        Assert.Equal([EntityStatus.Failed, EntityStatus.Skipped], run.EntityOutcomes.Select(o => o.Status));
        Assert.Empty(test.Watermarks.Advances);
        Assert.False(await test.Harness.Published.Any<RefreshMarts>(x => x.Context.Message.RunId == runId));
    }

    /// <summary>The one <typeparamref name="T"/> matching <paramref name="filter"/>, waiting for it (the outbox sends after the saga is saved).</summary>
    private static async Task<T> PublishedOnce<T>(BulkSyncHarness test, Func<T, bool> filter) where T : class
    {
        Assert.Equal(1, await test.Published(filter, 1));
        return test.Harness.Published.Select<T>().Select(x => x.Context.Message).Single(filter);
    }

    private static string Operation(int number) => $"gid://shopify/BulkOperation/{number}";

    private static async Task<Guid> Request(BulkSyncHarness test, IReadOnlyList<string> entities, DateTimeOffset? requestedAt = null)
    {
        var runId = NewId.NextGuid();
        await test.Harness.Bus.Publish(new SyncRequested(runId, BulkSyncHarness.Shop, "user", requestedAt ?? test.Now, entities));
        return runId;
    }

    private static Task<StartBulkExtraction> NextStart(BulkSyncHarness test, Guid runId, string entity) =>
        PublishedOnce<StartBulkExtraction>(test, m => m.RunId == runId && m.Entity == entity);

    /// <summary>Takes <paramref name="entity"/> from its bulk query to the upsert command of its archive, whose key it returns.</summary>
    private static async Task<string> Archive(BulkSyncHarness test, Guid runId, string entity, int operation)
    {
        await NextStart(test, runId, entity);
        var key = $"raw/shopify/{BulkSyncHarness.Shop}/{entity}/2026/11/21/{runId:N}-{operation}.jsonl";
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, entity, Operation(operation), test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, Operation(operation), 3, 1, 100));
        Assert.Equal(1, await test.Published<ArchiveBulkOperationResult>(m => m.RunId == runId && m.BulkOperationId == Operation(operation), 1));
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, entity, key, 100, 3));
        Assert.Equal(1, await test.Published<UpsertArchivedRecords>(m => m.RunId == runId && m.ArchiveKey == key, 1));
        return key;
    }

    /// <summary>Takes <paramref name="entity"/> from its bulk query to its upsert: 3 records, the newest updated at <paramref name="newest"/>.</summary>
    private static async Task Load(BulkSyncHarness test, Guid runId, string entity, int operation, DateTimeOffset newest)
    {
        var key = await Archive(test, runId, entity, operation);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, entity, key, 3, entity == Entities.Orders ? 1 : 0,
            entity == Entities.Orders ? 2 : 0, 0, newest, entity == Entities.Orders ? new DateOnly(2026, 11, 1) : null,
            entity == Entities.Orders ? new DateOnly(2026, 11, 20) : null));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!test.Instance(runId).EntityOutcomes.Any(o => o.Entity == entity) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Contains(test.Instance(runId).EntityOutcomes, o => o.Entity == entity);
    }
}
