namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// What a marketing fetch archived, kept beside its pages (<c>…/manifest.json</c>, camelCase JSON): the account, the
/// days, and each page's key, endpoint, request (without its token), days, arrival and size. The upsert, a replay and
/// anyone auditing a figure read the pages through it. An uploaded replay names no days: its rows say which they are.
/// </summary>
public record MarketingArchiveManifest(
    string Source,
    string ShopDomain,
    string Account,
    Guid RunId,
    int Attempt,
    DateOnly? Since,
    DateOnly? Until,
    DateTimeOffset ArchivedAt,
    bool Partial,
    string? PartialReason,
    IReadOnlyList<MarketingArchivedPage> Pages);
