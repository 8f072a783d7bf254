namespace GrowthOs.Transform.Api;

/// <summary>
/// What e-mail did in a period: recipients, delivered, unique opens and clicks, unsubscribes, bounces, the revenue Klaviyo
/// attributes (minor units of the shop's currency), and the rates: open and click rate over delivered, unsubscribe rate
/// over delivered, bounce rate over recipients, revenue per recipient, and e-mail's share of the shop's net sales.
/// </summary>
public sealed record EmailFigures(long Recipients, long Delivered, long Opens, long Clicks, long Unsubscribes, long Bounces, long RevenueMinor,
    decimal? OpenRate, decimal? ClickRate, decimal? UnsubscribeRate, decimal? BounceRate, long? RevenuePerRecipientMinor, decimal? ShareOfRevenue);
