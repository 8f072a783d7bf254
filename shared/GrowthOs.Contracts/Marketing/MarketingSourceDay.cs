namespace GrowthOs.Contracts.Marketing;

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
