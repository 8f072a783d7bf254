namespace GrowthOs.Transform.Api;

/// <summary>
/// A period's orders and revenue (order totals, minor units) split by first orders (a customer's first counted order ever)
/// and repeat orders, with guests (orders without a customer: neither) counted apart. First-order AOV = first-order
/// revenue / first orders; returning revenue share = repeat revenue / (first + repeat revenue); new-customer ROAS =
/// first-order revenue / ad spend; each null when its denominator is zero.
/// </summary>
public sealed record NewAndReturning(
    long FirstOrders,
    long FirstOrderRevenueMinor,
    long? FirstOrderAovMinor,
    long RepeatOrders,
    long RepeatRevenueMinor,
    long? RepeatOrderAovMinor,
    decimal? ReturningRevenueShare,
    decimal? NewCustomerRoas,
    long GuestOrders,
    long GuestRevenueMinor);
