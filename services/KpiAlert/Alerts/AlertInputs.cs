using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// What the rules are evaluated on: the trailing period's KPIs against the period before, per platform and per
/// campaign; and whether the copies hold every day of both periods (<paramref name="SalesHeld"/>,
/// <paramref name="MarketingHeld"/>). A rule whose figures need a copy not wholly held stays silent: a figure half
/// arrived is not a drop. <paramref name="Profit"/> holds the profit figures (<see cref="ProfitKpis"/>) when every day of
/// both periods carries them; <paramref name="NoMarketing"/> says that no ad source delivered in either period (so the
/// ad spend in the contribution margin is whole at zero). <paramref name="EmailSends"/> holds each flow's and campaign's
/// e-mail of the period and <paramref name="FlowSending"/> each flow's sending days before its end (none without e-mail);
/// <paramref name="Baselines"/> each KPI's activation baseline (<see cref="KpiBaseline"/>).
/// </summary>
public sealed record AlertInputs(DateOnly From, DateOnly To, IReadOnlyList<Kpi> Kpis, IReadOnlyList<PlatformCtr> Platforms,
    IReadOnlyList<CampaignFigures> Campaigns, bool SalesHeld = true, bool MarketingHeld = true, IReadOnlyList<PipelineSuccess>? Pipelines = null,
    DateTimeOffset Now = default,
    IReadOnlyList<StockedOut>? StockOuts = null, IReadOnlyList<SyncGap>? Gaps = null, IReadOnlyList<Kpi>? Profit = null, bool NoMarketing = false,
    IReadOnlyList<EmailSend>? EmailSends = null, IReadOnlyList<FlowSending>? FlowSending = null, IReadOnlyList<KpiBaseline>? Baselines = null);
