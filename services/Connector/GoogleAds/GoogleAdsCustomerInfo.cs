namespace GrowthOs.Connector.GoogleAds;

/// <summary>
/// What a customer says of itself: <c>descriptive_name</c>, <c>currency_code</c>, <c>time_zone</c> and <c>status</c> (ENABLED, CANCELED,
/// SUSPENDED, CLOSED).
/// </summary>
public sealed record GoogleAdsCustomerInfo(string? Name, string? Currency, string? TimeZone, string? Status)
{
    /// <summary>A customer that is cancelled, suspended or closed serves no ads and is not synced.</summary>
    public bool Usable => Status is not ("CANCELED" or "SUSPENDED" or "CLOSED");
}
