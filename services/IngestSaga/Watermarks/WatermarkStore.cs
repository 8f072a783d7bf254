using GrowthOs.IngestSaga.BulkSync;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.IngestSaga.Watermarks;

/// <summary>Per shop and entity, how far the data has been read.</summary>
public interface IWatermarkStore
{
    /// <summary>How far <paramref name="entity"/> has been read; null before its first complete run.</summary>
    Task<DateTimeOffset?> Current(string shop, string entity, CancellationToken cancellationToken);

    /// <summary>Where the next extraction of <paramref name="entity"/> starts.</summary>
    Task<DateTimeOffset> ExtractFrom(string shop, string entity, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves the watermark to <paramref name="updatedThrough"/> unless it is already there or further.</summary>
    Task Advance(string shop, string entity, DateTimeOffset updatedThrough, Guid runId, CancellationToken cancellationToken);
}

/// <summary>
/// Watermarks in <c>ingest.shop_watermark</c>. A watermark moves only forward, only after a run in which every step
/// succeeded, and only to the newest <c>updatedAt</c> actually fetched.
/// </summary>
public sealed class WatermarkStore(NpgsqlDataSource dataSource, IOptions<BulkSyncOptions> options) : IWatermarkStore
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
    public async Task<DateTimeOffset> ExtractFrom(string shop, string entity, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExtractFrom(await Current(shop, entity, cancellationToken), now, options.Value);

    public static DateTimeOffset ExtractFrom(DateTimeOffset? watermark, DateTimeOffset now, BulkSyncOptions settings)
    {
        var floor = now.AddDays(-settings.WatermarkFloorDays);
        if (watermark is not { } mark || mark < floor) return floor;
        var from = mark.AddMinutes(-settings.LookbackMinutes);
        return from < floor ? floor : from;
    }

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
}
