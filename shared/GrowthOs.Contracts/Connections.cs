namespace GrowthOs.Contracts.Connections;

/// <summary>The providers a connection reaches: the shop itself, and the accounts its marketing comes from.</summary>
public static class ConnectionProviders
{
    public const string Shopify = "shopify";
    public const string Meta = "meta";
    public const string GoogleAds = "google_ads";
    public const string Ga4 = "ga4";

    public static IReadOnlyList<string> All { get; } = [Shopify, Meta, GoogleAds, Ga4];
}

/// <summary>
/// Where a connection stands: <c>pending</c> until its provider answered its check (a provider that was down leaves it
/// pending, checked again), <c>active</c> once it did, <c>failing</c> when the provider refused it (its reason said),
/// <c>paused</c> by a person, <c>disconnected</c> once deleted or uninstalled (its credentials destroyed).
/// </summary>
public static class ConnectionStatuses
{
    public const string Pending = "pending";
    public const string Active = "active";
    public const string Failing = "failing";
    public const string Paused = "paused";
    public const string Disconnected = "disconnected";
}

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

/// <summary>What every connection event carries: the connection as it now is.</summary>
public interface IConnectionEvent
{
    ConnectionSnapshot Connection { get; }
}

/// <summary>A shop or an account of a shop was connected (or connected again after it was disconnected).</summary>
public record ConnectionConnected(ConnectionSnapshot Connection) : IConnectionEvent;

/// <summary>A connection's settings changed, or its check found something new (its status, its time zone, its name).</summary>
public record ConnectionSettingsChanged(ConnectionSnapshot Connection) : IConnectionEvent;

/// <summary>A person paused the connection: its schedules fire no run until it is resumed.</summary>
public record ConnectionPaused(ConnectionSnapshot Connection) : IConnectionEvent;

public record ConnectionResumed(ConnectionSnapshot Connection) : IConnectionEvent;

/// <summary>The connection was deleted or its app uninstalled: its schedules stopped and its credentials destroyed.</summary>
public record ConnectionDisconnected(ConnectionSnapshot Connection) : IConnectionEvent;

/// <summary>
/// Shopify said the shop uninstalled the app (its <c>app/uninstalled</c> webhook, signed and deduplicated by
/// <paramref name="WebhookId"/>): the shop's connection is disconnected and its token, which Shopify revoked, destroyed.
/// </summary>
public record ShopUninstalled(string ShopDomain, string WebhookId, DateTimeOffset TriggeredAt);

/// <summary>The services that hold rows or archived objects of a shop: each answers a purge with <see cref="ShopPurged"/>.</summary>
public static class PurgeServices
{
    public const string Connector = "connector";
    public const string IngestSaga = "ingest-saga";
    public const string Transform = "transform";
    public const string KpiAlert = "kpi-alert";
    public const string Gateway = "api-gateway";

    public static IReadOnlyList<string> All { get; } = [Connector, IngestSaga, Transform, KpiAlert, Gateway];
}

/// <summary>
/// Every row and archived object of <paramref name="ShopDomain"/> is to be removed, in every service (a connection deleted
/// with purge, or Shopify's <c>shop/redact</c>). Published by the Connector after the shop's connections were disconnected;
/// each service answers with <see cref="ShopPurged"/>. Heard twice, it removes nothing more. <paramref name="ConnectionIds"/>
/// are every connection the shop had: a service's copy keeps each as a tombstone, so that an event of one still on its way
/// cannot bring the shop back.
/// </summary>
public record ShopPurgeRequested(Guid PurgeId, string ShopDomain, string Reason, DateTimeOffset RequestedAt, IReadOnlyList<Guid>? ConnectionIds = null);

/// <summary>
/// What one service removed for a purge: rows by table (<c>schema.table</c>) and archived objects by prefix
/// (<c>objects:prefix</c>), counted. Names no shop: the purge's id says which.
/// </summary>
public record ShopPurged(Guid PurgeId, string Service, IReadOnlyDictionary<string, long> Removed, DateTimeOffset PurgedAt);

/// <summary>
/// Shopify's <c>shop/redact</c>, signed and deduplicated by <paramref name="WebhookId"/>: 48 hours after a shop uninstalled
/// the app, everything held of it is to be removed. The Connector disconnects what is left and purges the shop.
/// </summary>
public record ShopRedactRequested(string ShopDomain, string WebhookId, DateTimeOffset TriggeredAt);

/// <summary>
/// Shopify's <c>customers/redact</c>, signed and deduplicated by <paramref name="WebhookId"/>: the shop's customer
/// <paramref name="CustomerId"/> is to be forgotten. Its rows are removed and its orders (theirs, and
/// <paramref name="OrderIds"/>) no longer name it, now and after every later load. Carries ids only, never the
/// customer's e-mail or phone the webhook names it by.
/// </summary>
public record CustomerRedactRequested(string ShopDomain, long CustomerId, IReadOnlyList<long> OrderIds, string WebhookId, DateTimeOffset TriggeredAt);

/// <summary>
/// Shopify's <c>customers/data_request</c>: the shop's merchant asks what is held on customer <paramref name="CustomerId"/>
/// (and its orders <paramref name="OrderIds"/>), for Shopify's data request <paramref name="DataRequestId"/>. The report
/// is written to the archive and named in the audit log (<see cref="CustomerDataReported"/>).
/// </summary>
public record CustomerDataRequested(
    string ShopDomain, long CustomerId, IReadOnlyList<long> OrderIds, string DataRequestId, string WebhookId, DateTimeOffset TriggeredAt);

/// <summary>
/// What is held on a customer was written to the archive as <paramref name="ArchiveKey"/>: <paramref name="Held"/> counts
/// the rows by kind (the customer, its orders, their lines, refunds and fulfillments).
/// </summary>
public record CustomerDataReported(
    string ShopDomain, long CustomerId, string DataRequestId, string WebhookId, string ArchiveKey, IReadOnlyDictionary<string, long> Held,
    DateTimeOffset ReportedAt);
