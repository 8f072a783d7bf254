namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// Rebuild the marketing facts and the <c>marketing_daily</c> mart of the shop for these days (inclusive); answered
/// with <c>MartsRefreshed</c>.
/// </summary>
public record RefreshMarketingMarts(
    Guid RunId,
    string ShopDomain,
    string Source,
    DateOnly From,
    DateOnly To);
