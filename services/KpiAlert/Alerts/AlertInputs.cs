using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// What the rules are evaluated on: the trailing period's KPIs against the period before, per platform and per
/// campaign; and whether the copies hold every day of both periods (<paramref name="SalesHeld"/>,
/// <paramref name="MarketingHeld"/>). A rule whose figures need a copy not wholly held stays silent: a figure half
/// arrived is not a drop.
/// </summary>
public sealed record AlertInputs(DateOnly From, DateOnly To, IReadOnlyList<Kpi> Kpis, IReadOnlyList<PlatformCtr> Platforms,
    IReadOnlyList<CampaignFigures> Campaigns, bool SalesHeld = true, bool MarketingHeld = true, IReadOnlyList<PipelineSuccess>? Pipelines = null,
    DateTimeOffset Now = default,
    IReadOnlyList<StockedOut>? StockOuts = null, IReadOnlyList<SyncGap>? Gaps = null);
