namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// A daily job of the shop that ran in the last week (<c>shopify</c>, <c>marketing:{source}</c>), and when it last
/// completed whole (null: not in that week).
/// </summary>
public sealed record PipelineSuccess(string Job, DateTimeOffset? LastSuccess);
