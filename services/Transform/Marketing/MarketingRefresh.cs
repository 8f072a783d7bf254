using GrowthOs.Contracts.Marketing;
using GrowthOs.Transform.Marts;

namespace GrowthOs.Transform.Marketing;

/// <summary>What a marketing refresh computed: the mart's days, campaign days and e-mail days, and the outcome of every check.</summary>
public sealed record MarketingRefresh(string CurrencyCode, IReadOnlyList<MarketingSourceDay> Days, IReadOnlyList<MarketingCampaignDay> Campaigns,
    IReadOnlyList<MarketingEmailDay> Email, IReadOnlyList<DataQualityOutcome> Checks)
{
    public IReadOnlyList<DataQualityOutcome> Critical => DataQualityOutcomes.CriticalFailures(Checks);
}
