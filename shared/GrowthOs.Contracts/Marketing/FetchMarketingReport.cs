namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// Read <paramref name="Source"/>'s daily figures of <paramref name="ShopDomain"/> from <paramref name="Since"/> to
/// <paramref name="Until"/> (inclusive, the platform's reporting days) and archive every answer page unchanged.
/// <paramref name="Attempt"/> numbers the fetches of the run, so each keeps its own pages.
/// </summary>
public record FetchMarketingReport(
    Guid RunId,
    string ShopDomain,
    string Source,
    DateOnly Since,
    DateOnly Until,
    int Attempt);
