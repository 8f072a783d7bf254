using Npgsql;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>
/// The watermarks in <c>ingest.marketing_watermark</c>. One moves only forward, only after a run that completed, and
/// never past a gap: a run that starts after the day following the watermark leaves it where it is.
/// </summary>
public sealed class MarketingWatermarks(NpgsqlDataSource dataSource) : IMarketingWatermarks
{
    public async Task<DateOnly?> Current(string shop, string source, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT synced_through FROM ingest.marketing_watermark WHERE shop_domain = @shop AND source = @source");
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("source", source);
        return await command.ExecuteScalarAsync(cancellationToken) is DateOnly day ? day : null;
    }

    /// <summary>
    /// The days a daily sync reads: from the watermark less the source's trailing window (or, when a gap is older, the day
    /// after the watermark) to yesterday, never more than <see cref="MarketingSyncOptions.FirstSyncDays"/>, or never before
    /// a connected account's <paramref name="historyStart"/> when it has one; a first sync reads those days.
    /// </summary>
    public static (DateOnly Since, DateOnly Until) Range(DateOnly? watermark, DateOnly today, int trailingDays, int firstSyncDays,
        DateOnly? historyStart = null)
    {
        var until = today.AddDays(-1);
        var floor = historyStart is { } start ? Max(Min(start, until), until.AddDays(-(MaxHistoryDays - 1))) : until.AddDays(-(firstSyncDays - 1));
        var since = watermark is { } mark ? Min(mark.AddDays(1), until.AddDays(-(trailingDays - 1))) : floor;
        return (since < floor ? floor : since, until);
    }

    public async Task Advance(string shop, string source, DateOnly since, DateOnly through, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO ingest.marketing_watermark AS w (shop_domain, source, synced_through, advanced_by_run, advanced_at)
            VALUES (@shop, @source, @through, @run, now())
            ON CONFLICT (shop_domain, source) DO UPDATE
               SET synced_through = EXCLUDED.synced_through, advanced_by_run = EXCLUDED.advanced_by_run, advanced_at = now()
             WHERE w.synced_through < EXCLUDED.synced_through AND w.synced_through >= @since - 1
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("through", through);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("run", runId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The most days a first sync reads, whatever history start it is given (the platforms keep about three years).</summary>
    public const int MaxHistoryDays = 1_100;

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
