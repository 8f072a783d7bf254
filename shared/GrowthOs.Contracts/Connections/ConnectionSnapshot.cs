namespace GrowthOs.Contracts.Connections;

/// <summary>
/// A connection as every service keeps its copy of it: never its credentials. <paramref name="Account"/> is the shop's
/// domain for Shopify, else the ad account, customer or property id; <paramref name="LoginCustomerId"/> the Google Ads
/// manager it is reached through. What its provider answered at its check: <paramref name="Name"/>,
/// <paramref name="CurrencyCode"/>, <paramref name="TimeZone"/> (IANA; a shop's is its reporting time zone everywhere),
/// <paramref name="Plan"/> and <paramref name="AccountStatus"/>. Its settings: <paramref name="Cron"/> (in the shop's
/// time zone), <paramref name="Entities"/> (none: the deployment's default), <paramref name="HistoryStart"/>,
/// <paramref name="LookbackMinutes"/> (null: the deployment's). <paramref name="Version"/> grows with every change, so a
/// copy keeps the newest it heard whatever order the events arrive in.
/// </summary>
public record ConnectionSnapshot(
    Guid ConnectionId,
    string ShopDomain,
    string Provider,
    string Account,
    string? LoginCustomerId,
    string Status,
    string? StatusReason,
    string? Name,
    string? CurrencyCode,
    string? TimeZone,
    string? Plan,
    string? AccountStatus,
    string Cron,
    IReadOnlyList<string> Entities,
    DateOnly? HistoryStart,
    int? LookbackMinutes,
    long Version,
    DateTimeOffset ChangedAt);
