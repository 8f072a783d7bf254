namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// The marketing figures of these days were (re)computed: per day and source, and per campaign and day (for rules that
/// name a campaign). Money in minor units of <paramref name="CurrencyCode"/>, the shop's; figures an account reports in
/// another currency are not in these sums (see <see cref="MarketingSourceDay.ForeignCurrencyRows"/>). Every day of
/// <paramref name="From"/> to <paramref name="To"/> is in <paramref name="Days"/>; <paramref name="ComputedAt"/> orders two
/// computations of the same days, so a copy never takes an older one over a newer. <paramref name="Email"/> holds each flow's
/// and campaign's e-mail of those days (none on a day it sent nothing); null from a publisher that does not read e-mail.
/// </summary>
public record MarketingDailyUpdated(
    Guid RunId,
    string ShopDomain,
    string CurrencyCode,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<MarketingSourceDay> Days,
    IReadOnlyList<MarketingCampaignDay> Campaigns,
    DateTimeOffset ComputedAt,
    IReadOnlyList<MarketingEmailDay>? Email = null);
