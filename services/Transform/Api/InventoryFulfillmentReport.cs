namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/dashboard/inventory-fulfillment</c>: per variant out of stock or low in the latest snapshot, the
/// orders waiting for fulfillment that hold it (placed in the last <paramref name="WaitingDays"/> days up to
/// <paramref name="AsOf"/>, not cancelled, not a test, not fulfilled); and per reporting day of the period, the orders placed,
/// those fulfilled late (the first fulfillment more than <paramref name="LateAfterHours"/> after the order, or none yet that
/// long after it), and the share of those that hold a variant in alert on that day.
/// </summary>
public sealed record InventoryFulfillmentReport(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly? SnapshotDate,
    int LateAfterHours,
    int WaitingDays,
    DateTimeOffset AsOf,
    IReadOnlyList<VariantWaiting> Variants,
    IReadOnlyList<LateFulfillmentDay> Days,
    LateFulfillmentDay Totals);

/// <summary>
/// A variant in alert and the orders waiting that hold it: how many, how many of its units they hold, the longest wait in
/// hours, and the orders themselves, the longest waiting first (at most 20).
/// </summary>
public sealed record VariantWaiting(
    long VariantId,
    string? Sku,
    string? ProductTitle,
    string? VariantTitle,
    string StockStatus,
    int QuantityAvailable,
    decimal? DaysOfCover,
    int WaitingOrders,
    long WaitingUnits,
    decimal? LongestWaitHours,
    IReadOnlyList<WaitingOrder> Orders);

/// <summary>An order waiting for fulfillment: its name, when it was placed, how long it has waited (hours, to 0.1), and the variant's units in it.</summary>
public sealed record WaitingOrder(long OrderId, string Name, DateTimeOffset CreatedAt, decimal WaitedHours, long Units);

/// <summary>
/// A reporting day's orders placed (counted ones), those fulfilled late, those of them that hold a variant in alert (in the
/// day's snapshot, else the latest), and that share of the late ones (null without a late one).
/// </summary>
public sealed record LateFulfillmentDay(DateOnly? Date, long Orders, long Late, long LateWithVariantInAlert, decimal? ShareWithVariantInAlert);
