namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>Per shop and marketing source, the last day read whole.</summary>
public interface IMarketingWatermarks
{
    Task<DateOnly?> Current(string shop, string source, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the watermark to <paramref name="through"/> when it is further and the run's days (from <paramref name="since"/>) leave no gap
    /// after it.
    /// </summary>
    Task Advance(string shop, string source, DateOnly since, DateOnly through, Guid runId, CancellationToken cancellationToken);
}
