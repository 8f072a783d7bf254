namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// What one flow or campaign of the shop's e-mail (<paramref name="Kind"/> <c>flow</c> or <c>campaign</c>, its Klaviyo id
/// <paramref name="ParentId"/>) did on one day, all its messages together: recipients, delivered, unique opens and clicks,
/// unsubscribes, bounces, and the revenue Klaviyo attributes to it in minor units of the shop's currency (an account
/// reporting in another currency leaves its revenue out, as the e-mail mart does).
/// </summary>
public record MarketingEmailDay(
    DateOnly Date,
    string Kind,
    string ParentId,
    string? ParentName,
    long Recipients,
    long Delivered,
    long Opens,
    long Clicks,
    long Unsubscribes,
    long Bounces,
    long RevenueMinor);
