namespace GrowthOs.Contracts.Sales;

/// <summary>Daily sales of a shop were (re)computed for these dates. Revenue in minor units of <paramref name="CurrencyCode"/>.</summary>
public record DailySalesUpdated(
    Guid RunId,
    string ShopDomain,
    string CurrencyCode,
    IReadOnlyList<DailySalesFigure> Days);

public record DailySalesFigure(
    DateOnly Date,
    int Orders,
    long RevenueMinor);
