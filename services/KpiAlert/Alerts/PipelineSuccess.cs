namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// A daily job of the shop that ran in the last week (<c>shopify</c>, <c>marketing:{source}</c>), and when it last
/// completed whole (null: not in that week).
/// </summary>
public sealed record PipelineSuccess(string Job, DateTimeOffset? LastSuccess)
{
    /// <summary>How long ago it last completed whole (null: not in that week).</summary>
    public TimeSpan? Age(DateTimeOffset now) => LastSuccess is { } last ? now - last : null;

    /// <summary>Whether it has no whole success for more than <paramref name="maxAgeHours"/>: the pipeline is missing.</summary>
    public bool Missing(DateTimeOffset now, int maxAgeHours) => Age(now) is not { } age || age > TimeSpan.FromHours(maxAgeHours);
}
