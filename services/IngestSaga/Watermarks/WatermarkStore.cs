using GrowthOs.IngestSaga.BulkSync;
using Npgsql;

namespace GrowthOs.IngestSaga.Watermarks;

/// <summary>
/// Watermarks in <c>ingest.shop_watermark</c>. A watermark moves only forward, only after a run in which every step
/// succeeded, and only to the newest <c>updatedAt</c> actually fetched.
/// </summary>
public sealed class WatermarkStore(NpgsqlDataSource dataSource) : IWatermarkStore
{
    public async Task<DateTimeOffset?> Current(string shop, string entity, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT updated_through FROM ingest.shop_watermark WHERE shop_domain = @shop AND entity = @entity");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("entity", entity);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime value ? new DateTimeOffset(value, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Where the next extraction starts: the watermark minus the lookback window, but never before now minus the floor.
    /// A missing watermark, or one older than the floor, starts at the floor.
    /// </summary>
    public static DateTimeOffset ExtractFrom(DateTimeOffset? watermark, DateTimeOffset now, BulkSyncOptions settings, string? shop = null)
    {
        // A watermark not beyond the floor is one whose lookback starts at the floor or after it.
        return watermark is { } mark && !IsBeyondFloor(mark, now, settings, shop) ? mark.AddMinutes(-Lookback(settings, shop)) : Floor(now, settings);
    }

    /// <summary>How far back a daily read goes at most: now minus <see cref="BulkSyncOptions.WatermarkFloorDays"/>.</summary>
    public static DateTimeOffset Floor(DateTimeOffset now, BulkSyncOptions settings) => now.AddDays(-settings.WatermarkFloorDays);

    /// <summary>
    /// Whether a watermark is older than the floor: the shop went unsynced longer than a daily read reaches back, and
    /// the changes between the watermark and the floor are a gap a backfill must read.
    /// </summary>
    public static bool IsBeyondFloor(DateTimeOffset watermark, DateTimeOffset now, BulkSyncOptions settings, string? shop = null) =>
        watermark.AddMinutes(-Lookback(settings, shop)) < Floor(now, settings);

    /// <summary>The shop's lookback (its connection's, else the deployment's); the deployment's when no shop is named.</summary>
    private static int Lookback(BulkSyncOptions settings, string? shop) => shop is null ? settings.LookbackMinutes : settings.LookbackOf(shop);

    public async Task Advance(string shop, string entity, DateTimeOffset updatedThrough, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.shop_watermark (shop_domain, entity, updated_through, advanced_by_run, advanced_at)
            VALUES (@shop, @entity, @through, @run, now())
            ON CONFLICT (shop_domain, entity) DO UPDATE
               SET updated_through = EXCLUDED.updated_through, advanced_by_run = EXCLUDED.advanced_by_run, advanced_at = now()
             WHERE ingest.shop_watermark.updated_through < EXCLUDED.updated_through
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("entity", entity);
        command.Parameters.AddWithValue("through", updatedThrough.UtcDateTime);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> HistoryRequested(string shop, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM ingest.shop_history WHERE shop_domain = @shop)");
        command.Parameters.AddWithValue("shop", shop);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<Guid> RequestHistory(string shop, Guid backfillRunId, DateOnly before, Guid requestedBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH asked AS (
                INSERT INTO ingest.shop_history (shop_domain, backfill_run_id, before_date, requested_by)
                VALUES (@shop, @run, @before, @by)
                ON CONFLICT (shop_domain) DO NOTHING
                RETURNING backfill_run_id)
            SELECT backfill_run_id FROM asked
            UNION ALL SELECT backfill_run_id FROM ingest.shop_history WHERE shop_domain = @shop
            LIMIT 1
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("run", backfillRunId);
        command.Parameters.AddWithValue("before", before);
        command.Parameters.AddWithValue("by", requestedBy);
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<Guid> RequestGapBackfill(string shop, string entity, DateTimeOffset gapSince, Guid backfillRunId, Guid requestedBy,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH asked AS (
                INSERT INTO ingest.shop_gap (shop_domain, entity, gap_since, backfill_run_id, requested_by)
                VALUES (@shop, @entity, @since, @run, @by)
                ON CONFLICT (shop_domain, entity, gap_since) DO NOTHING
                RETURNING backfill_run_id)
            SELECT backfill_run_id FROM asked
            UNION ALL SELECT backfill_run_id FROM ingest.shop_gap WHERE shop_domain = @shop AND entity = @entity AND gap_since = @since
            LIMIT 1
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("entity", entity);
        command.Parameters.AddWithValue("since", gapSince.UtcDateTime);
        command.Parameters.AddWithValue("run", backfillRunId);
        command.Parameters.AddWithValue("by", requestedBy);
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
