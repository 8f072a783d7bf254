using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using MassTransit.Testing;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>
/// A shop left unsynced longer than the floor: its daily sync reads back to the floor, then asks once for a backfill of
/// what changed between its watermark and the floor, and says so, instead of skipping the gap.
/// </summary>
public sealed class GapTests
{
    private const string OperationId = "gid://shopify/BulkOperation/41";

    private static async Task<BulkSyncState> Complete(BulkSyncHarness test, Guid runId)
    {
        await test.Harness.Bus.Publish(new BulkOperationStarted(runId, BulkSyncHarness.Shop, "orders", OperationId, test.Now));
        await test.InState(runId, m => m.Polling);
        await test.Harness.Bus.Publish(new BulkOperationCompleted(runId, OperationId, 2, 2, 10));
        await test.InState(runId, m => m.Downloading);
        await test.Harness.Bus.Publish(new BulkResultArchived(runId, BulkSyncHarness.Shop, "orders", $"raw/{runId}.jsonl", 10, 2));
        await test.InState(runId, m => m.Upserting);
        await test.Harness.Bus.Publish(new ArchivedRecordsUpserted(runId, BulkSyncHarness.Shop, "orders", $"raw/{runId}.jsonl", 2, 2, 0, 0,
            test.Now.AddHours(-1), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 1)));
        await test.InState(runId, m => m.Transforming);
        await test.Harness.Bus.Publish(new MartsRefreshed(runId, BulkSyncHarness.Shop, 1));
        return await test.InState(runId, m => m.Completed);
    }

    [Fact]
    public async Task A_watermark_older_than_the_floor_asks_for_a_backfill_of_the_gap_and_says_so()
    {
        await using var test = await BulkSyncHarness.Start();
        var stale = test.Now.AddDays(-test.Options.WatermarkFloorDays - 30);
        test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")] = stale;
        var runId = await test.StartRun();
        var floor = test.Now.AddDays(-test.Options.WatermarkFloorDays);
        Assert.Equal(floor, (await test.InState(runId, m => m.Requested)).UpdatedSince);

        var run = await Complete(test, runId);

        var since = stale.AddMinutes(-test.Options.LookbackMinutes);
        var backfill = await test.Harness.FirstPublished<BackfillRequested>(m => m.ShopDomain == BulkSyncHarness.Shop);
        Assert.Equal((test.Options.HistoryFrom, DateOnly.FromDateTime(floor.UtcDateTime), (DateTimeOffset?)since),
            (backfill.From, backfill.To, backfill.UpdatedSince));
        var gap = await test.Harness.FirstPublished<SyncGapFound>();
        Assert.Equal((runId, "orders", since, floor, backfill.RunId), (gap.RunId, gap.Entity, gap.GapFrom, gap.Floor, gap.BackfillRunId));
        Assert.Equal((since, backfill.RunId), (run.GapSince, run.GapRunId));
        Assert.Equal((backfill.RunId, runId), test.Watermarks.Gaps[(BulkSyncHarness.Shop, "orders", since)]);
        // The backfill reads the orders updated since the gap's start and created up to the floor's day.
        var filling = await test.InState(backfill.RunId, m => m.Requested);
        Assert.Equal((JobTypes.FullBackfill, (DateTimeOffset?)since), (filling.JobType, filling.UpdatedSince));
        var command = await test.Harness.FirstPublished<StartBulkExtraction>(m => m.RunId == backfill.RunId);
        Assert.Equal(((DateTimeOffset?)since, floor.UtcDateTime.Date.AddDays(1)), (command.UpdatedSince, command.CreatedBefore?.UtcDateTime));
    }

    [Fact]
    public async Task The_same_gap_found_again_names_the_same_backfill()
    {
        await using var test = await BulkSyncHarness.Start();
        test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")] = test.Now.AddDays(-test.Options.WatermarkFloorDays - 1);
        // The first run's orders failed: the watermark stays where it was, and the next run finds the same gap.
        var failed = await test.StartRun();
        await test.Harness.Bus.Publish(new BulkExtractionFailed(failed, BulkSyncHarness.Shop, "orders", "INTERNAL_SERVER_ERROR", "the operation failed"));
        await test.InState(failed, m => m.Failed);
        Assert.Empty(test.Watermarks.Gaps);

        var first = await Complete(test, await test.StartRun());
        test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")] = test.Now.AddDays(-test.Options.WatermarkFloorDays - 1);
        var second = await Complete(test, await test.StartRun());

        Assert.Equal(first.GapRunId, second.GapRunId);
        Assert.Single(test.Watermarks.Gaps);
    }

    [Fact]
    public async Task A_watermark_inside_the_floor_leaves_no_gap()
    {
        await using var test = await BulkSyncHarness.Start();
        // Its lookback reaches just inside the floor.
        test.Watermarks.Marks[(BulkSyncHarness.Shop, "orders")] =
            test.Now.AddDays(-test.Options.WatermarkFloorDays).AddMinutes(test.Options.LookbackMinutes + 1);

        var run = await Complete(test, await test.StartRun());

        Assert.Null(run.GapSince);
        Assert.False(await test.Harness.Published.Any<BackfillRequested>());
        Assert.False(await test.Harness.Published.Any<SyncGapFound>());
    }
}
