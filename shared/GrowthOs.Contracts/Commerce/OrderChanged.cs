namespace GrowthOs.Contracts.Commerce;

/// <summary>
/// An order is new, or a newer version of it was loaded. <paramref name="Changes"/> says what happened in that version:
/// <c>created</c>, <c>updated</c>, <c>fulfilled</c> (now fully fulfilled), <c>refunded</c> (more refunded than before),
/// <c>cancelled</c>. Published once per order version: loading the same version again publishes nothing. Delivery is
/// at least once; <paramref name="EventId"/> is the same on a redelivery. Money in minor units of <paramref name="CurrencyCode"/>.
/// </summary>
public record OrderChanged(
    Guid EventId,
    Guid RunId,
    string ShopDomain,
    long OrderId,
    string OrderName,
    IReadOnlyList<string> Changes,
    DateTimeOffset UpdatedAt,
    string CurrencyCode,
    long TotalMinor,
    long RefundedMinor,
    string? FinancialStatus,
    string? FulfillmentStatus);
