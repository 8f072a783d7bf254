namespace GrowthOs.Contracts.Marketing;

/// <summary>The marketing sources a shop's spend and traffic come from, as messages, archive keys and the API name them.</summary>
public static class MarketingSources
{
    public const string Meta = "meta";
    public const string GoogleAds = "google_ads";
    public const string Ga4 = "ga4";

    public static IReadOnlyList<string> All { get; } = [Meta, GoogleAds, Ga4];

    /// <summary>The ad platforms (campaign figures); GA4 gives traffic by channel group.</summary>
    public static bool IsAdPlatform(string source) => source is Meta or GoogleAds;
}

/// <summary>
/// A marketing sync of one shop and source, by the daily schedule (<c>cron</c>) or a person (<c>user</c>): the days from
/// the source's watermark less its trailing window (where the platform revises its figures) to yesterday, or, when
/// <paramref name="From"/> and <paramref name="To"/> are given, those days (inclusive) whatever the watermark.
/// </summary>
public record MarketingSyncRequested(
    Guid RunId,
    string ShopDomain,
    string Source,
    string Initiator,
    DateTimeOffset RequestedAt,
    DateOnly? From = null,
    DateOnly? To = null);

/// <summary>Re-ingest the archived pages a manifest names through the upsert and transform steps, without calling the source.</summary>
public record MarketingReplayRequested(
    Guid RunId,
    string ShopDomain,
    string Source,
    string ManifestKey,
    DateTimeOffset RequestedAt);

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

/// <summary>The Connector began reading the pages (or the asynchronous report) of a fetch.</summary>
public record MarketingFetchStarted(
    Guid RunId,
    string Source,
    int Attempt,
    DateTimeOffset StartedAt);

/// <summary>Every page of the fetch is read and stored; the manifest naming them is being written.</summary>
public record MarketingReportFetched(
    Guid RunId,
    string Source,
    int Attempt,
    int Pages,
    long Rows);

/// <summary>
/// The fetch's pages are archived and named by the manifest <paramref name="ManifestKey"/>. <paramref name="Partial"/>:
/// the source refused part of the range for good (<paramref name="PartialReason"/>); what it did answer is archived.
/// </summary>
public record MarketingReportArchived(
    Guid RunId,
    string ShopDomain,
    string Source,
    int Attempt,
    string ManifestKey,
    int Pages,
    long Rows,
    long Bytes,
    DateOnly Since,
    DateOnly Until,
    bool Partial = false,
    string? PartialReason = null);

/// <summary>The source asked to wait (throttled, quota used up, a transient error): the run tries again after its backoff, at least <paramref name="RetryAfterSeconds"/>.</summary>
public record MarketingFetchDeferred(
    Guid RunId,
    string Source,
    int Attempt,
    string ErrorCode,
    string Reason,
    int? RetryAfterSeconds);

/// <summary>The source refused the fetch for good (a bad token, no access, no account configured): the run fails with the reason.</summary>
public record MarketingFetchFailed(
    Guid RunId,
    string Source,
    int Attempt,
    string ErrorCode,
    string Reason);

/// <summary>Load the pages the manifest names into the marketing staging tables: each day they cover replaces what was there.</summary>
public record UpsertMarketingReport(
    Guid RunId,
    string ShopDomain,
    string Source,
    string ManifestKey);

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

/// <summary>Rebuild the marketing facts and the <c>marketing_daily</c> mart of the shop for these days (inclusive); answered with <c>MartsRefreshed</c>.</summary>
public record RefreshMarketingMarts(
    Guid RunId,
    string ShopDomain,
    string Source,
    DateOnly From,
    DateOnly To);

/// <summary>
/// A marketing run ended: the days it read, the rows it loaded, whether some of the range was refused (partial), and
/// which kind of run it was (MARKETING_SYNC, MARKETING_BACKFILL, MARKETING_REPLAY).
/// </summary>
public record MarketingSyncCompleted(
    Guid RunId,
    string ShopDomain,
    string Source,
    DateOnly Since,
    DateOnly Until,
    long Rows,
    DateTimeOffset CompletedAt,
    bool Partial = false,
    string? JobType = null);

/// <summary>
/// The marketing figures of these days were (re)computed: per day and source, and per campaign and day (for rules that
/// name a campaign). Money in minor units of <paramref name="CurrencyCode"/>, the shop's; figures an account reports in
/// another currency are not in these sums (see <see cref="MarketingSourceDay.ForeignCurrencyRows"/>). Every day of
/// <paramref name="From"/> to <paramref name="To"/> is in <paramref name="Days"/>; <paramref name="ComputedAt"/> orders two
/// computations of the same days, so a copy never takes an older one over a newer.
/// </summary>
public record MarketingDailyUpdated(
    Guid RunId,
    string ShopDomain,
    string CurrencyCode,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<MarketingSourceDay> Days,
    IReadOnlyList<MarketingCampaignDay> Campaigns,
    DateTimeOffset ComputedAt);

/// <summary>
/// One source's figures of one day: spend, impressions, clicks, the platform's conversions and their value for an ad
/// platform; sessions, users, key events and purchase revenue for GA4 (the others zero).
/// </summary>
public record MarketingSourceDay(
    DateOnly Date,
    string Source,
    long SpendMinor,
    long Impressions,
    long Clicks,
    decimal Conversions,
    long ConversionValueMinor,
    long Sessions,
    long Users,
    decimal KeyEvents,
    long RevenueMinor,
    int ForeignCurrencyRows);

public record MarketingCampaignDay(
    DateOnly Date,
    string Source,
    string CampaignId,
    string CampaignName,
    long SpendMinor,
    long Impressions,
    long Clicks,
    decimal Conversions,
    long ConversionValueMinor);

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

public record MarketingArchivedPage(
    string Key,
    string Endpoint,
    string Request,
    DateOnly? Since,
    DateOnly? Until,
    DateTimeOffset FetchedAt,
    int Rows,
    long Bytes);

/// <summary>Where a marketing run's pages and manifest are archived: <c>raw/{source}/{shop}/{yyyy}/{MM}/{dd}/{runId}-{attempt}/</c>.</summary>
public static class MarketingArchiveKeys
{
    public static string Prefix(string source, string shop, DateTimeOffset at, Guid runId, int attempt) =>
        $"raw/{source}/{shop}/{at.UtcDateTime:yyyy/MM/dd}/{runId:N}-{attempt}/";

    public static string Page(string prefix, int number) => $"{prefix}page-{number:0000}.json";

    public static string Manifest(string prefix) => $"{prefix}manifest.json";

    /// <summary>Whether <paramref name="key"/> lies under <c>raw/{source}/{shop}/</c>: the archive of that shop and source.</summary>
    public static bool IsOf(string key, string source, string shop) =>
        key.StartsWith($"raw/{source}/{shop}/", StringComparison.Ordinal) && !key.Contains("..", StringComparison.Ordinal);
}
