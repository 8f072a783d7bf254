namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// The manifest's pages are loaded: <paramref name="Rows"/> rows of campaign or channel days, <paramref name="Rejected"/>
/// left out (named in the Transform's log, the first of them with their reasons in <paramref name="RejectedExamples"/>);
/// the days the manifest covers (<paramref name="Since"/> to <paramref name="Until"/>, every one of them replaced) and
/// those its rows fall on, the platform's reporting days.
/// </summary>
public record MarketingReportUpserted(
    Guid RunId,
    string ShopDomain,
    string Source,
    string ManifestKey,
    long Rows,
    long Rejected,
    DateOnly Since,
    DateOnly Until,
    DateOnly? FirstDate,
    DateOnly? LastDate,
    IReadOnlyList<string>? RejectedExamples = null);
