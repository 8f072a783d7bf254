namespace GrowthOs.Contracts.Sales;

/// <summary>
/// Daily sales of a shop were (re)computed for these dates (the shop's reporting days). Revenue and refunds in minor
/// units of <paramref name="CurrencyCode"/>. <paramref name="ComputedAt"/> orders two computations of the same day: a
/// subscriber keeping a copy takes a day only from a computation at least as new as the one it holds.
/// </summary>
public record DailySalesUpdated(
    Guid RunId,
    string ShopDomain,
    string CurrencyCode,
    IReadOnlyList<DailySalesFigure> Days,
    DateTimeOffset? ComputedAt = null);
