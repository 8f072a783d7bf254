using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.ServiceDefaults.Connections;
using MassTransit.Testing;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>A new shop's first sync reads back to the floor, then asks once for the orders before it.</summary>
public sealed class HistoryTests
{
    private const string OperationId = "gid://shopify/BulkOperation/31";

    /// <summary>Takes a run of orders through a whole load (its marts refreshed), <paramref name="records"/> loaded.</summary>
    private static async Task<BulkSyncState> Complete(BulkSyncHarness test, Guid runId, long records = 2)
    {
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, records, records, 10));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", $"raw/{runId}.jsonl", 10, records));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", $"raw/{runId}.jsonl", records, records, 0, 0,
            records > 0 ? test.Now.AddHours(-1) : null, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 1));
        return await test.InState(runId, m => m.Completed);
    }

    [Fact]
    public async Task A_shops_first_sync_asks_once_for_every_order_before_its_floor_by_a_backfill_run()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        var runId = await test.StartRun();
        var run = await Complete(test, runId);

        var floorDay = DateOnly.FromDateTime(test.Now.AddDays(-test.Options.WatermarkFloorDays).UtcDateTime);
        var backfill = await test.Harness.FirstPublished<BackfillRequested>(m => m.ShopDomain == BulkSyncHarness.Shop);
        Assert.Equal((test.Options.HistoryFrom, floorDay), (backfill.From, backfill.To));
        Assert.Equal(floorDay, run.HistoryBefore);
        Assert.Equal(backfill.RunId, run.HistoryRunId);
        Assert.Equal((backfill.RunId, floorDay, runId), test.Watermarks.Histories[BulkSyncHarness.Shop]);
        // The backfill is a run of its own: it starts, and reads by creation time up to the floor's day.
        var history = await test.InState(backfill.RunId, m => m.Requested);
        Assert.Equal(JobTypes.FullBackfill, history.JobType);
    }

    [Fact]
    public async Task A_shop_whose_history_was_asked_for_is_not_backfilled_again()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        // An empty first sync leaves no watermark, so the next sync is a first sync again, but the history is asked for.
        await Complete(test, await test.StartRun(), records: 0);
        var second = await Complete(test, await test.StartRun(), records: 0);

        Assert.Null(second.HistoryBefore);
        Assert.Equal(1, await test.Harness.Published.SelectAsync<BackfillRequested>().Count());
    }

    [Fact]
    public async Task A_shop_with_a_watermark_has_its_history_already()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")] = test.Now.AddDays(-1);

        var run = await Complete(test, await test.StartRun());

        Assert.Null(run.HistoryRunId);
        Assert.False(await test.Harness.Published.Any<BackfillRequested>());
    }

    [Fact]
    public async Task A_first_sync_whose_orders_failed_leaves_the_history_to_the_next_one()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        var runId = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionFailed(runId, BulkSyncHarness.Shop, "orders", "INTERNAL_SERVER_ERROR", "the operation failed"));
        await test.InState(runId, m => m.Failed);

        Assert.Empty(test.Watermarks.Histories);
        Assert.False(await test.Harness.Published.Any<BackfillRequested>());
    }

    [Fact]
    public async Task With_LoadHistory_off_a_first_sync_reads_back_to_the_floor_only()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: false);
        var run = await Complete(test, await test.StartRun());

        Assert.Null(run.HistoryBefore);
        Assert.False(await test.Harness.Published.Any<BackfillRequested>());
    }

    [Fact]
    public async Task A_connected_shops_own_history_start_and_lookback_win_over_the_deployments()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        var floorDay = DateOnly.FromDateTime(test.Now.AddDays(-test.Options.WatermarkFloorDays).UtcDateTime);
        var start = floorDay.AddDays(10);
        test.Options.ConnectionOf = shop => shop == BulkSyncHarness.Shop
            ? new ShopConnection(Guid.NewGuid(), shop, "active", null, "UTC", "USD", "0 5 * * *", [], start, LookbackMinutes: 5)
            : null;

        // The first sync reads from the connection's first day, after the floor, and asks for no history before it.
        var runId = await test.StartRun();
        var first = await test.Harness.FirstPublished<StartBulkExtraction>(m => m.RunId == runId);
        Assert.Equal(new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), first.UpdatedSince);
        await Complete(test, runId);
        Assert.Equal(0, await test.Harness.Published.SelectAsync<BackfillRequested>().Count());

        // A daily sync reads back its connection's lookback, not the deployment's hour.
        var mark = test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")];
        var daily = await test.StartRun();
        var next = await test.Harness.FirstPublished<StartBulkExtraction>(m => m.RunId == daily);
        Assert.Equal(mark.AddMinutes(-5), next.UpdatedSince);
    }

    [Fact]
    public async Task A_connected_shops_history_start_before_the_floor_bounds_the_history_it_asks_for()
    {
        await using var test = await BulkSyncHarness.Start(loadHistory: true);
        var start = new DateOnly(2021, 3, 1);
        test.Options.ConnectionOf = shop => new ShopConnection(Guid.NewGuid(), shop, "active", null, "UTC", "USD", "0 5 * * *", [], start, null);
        await Complete(test, await test.StartRun());
        var backfill = await test.Harness.FirstPublished<BackfillRequested>();
        Assert.Equal((start, DateOnly.FromDateTime(test.Now.AddDays(-test.Options.WatermarkFloorDays).UtcDateTime)), (backfill.From, backfill.To));
    }
}
