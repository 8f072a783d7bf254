namespace GrowthOs.IngestSaga.Watermarks;

/// <summary>Per shop and entity, how far the data has been read.</summary>
public interface IWatermarkStore
{
    /// <summary>How far <paramref name="entity"/> has been read; null before its first complete run.</summary>
    Task<DateTimeOffset?> Current(string shop, string entity, CancellationToken cancellationToken);

    /// <summary>Moves the watermark to <paramref name="updatedThrough"/> unless it is already there or further.</summary>
    Task Advance(string shop, string entity, DateTimeOffset updatedThrough, Guid runId, CancellationToken cancellationToken);

    /// <summary>Whether the shop's history (the orders before its first sync's floor) has been asked for.</summary>
    Task<bool> HistoryRequested(string shop, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="requestedBy"/> asks for the shop's history to be loaded by
    /// <paramref name="backfillRunId"/>, unless it was asked for already; returns the backfill run that loads it (the
    /// earlier one, if so), so a request repeated after a crash names the same run.
    /// </summary>
    Task<Guid> RequestHistory(string shop, Guid backfillRunId, DateOnly before, Guid requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="requestedBy"/> found the shop's <paramref name="entity"/> watermark older than the
    /// floor and asks <paramref name="backfillRunId"/> to read the changes since <paramref name="gapSince"/>, unless that
    /// gap was asked for already; returns the backfill run that reads it (the earlier one, if so).
    /// </summary>
    Task<Guid> RequestGapBackfill(string shop, string entity, DateTimeOffset gapSince, Guid backfillRunId, Guid requestedBy,
        CancellationToken cancellationToken);
}
