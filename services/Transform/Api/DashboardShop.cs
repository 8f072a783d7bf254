namespace GrowthOs.Transform.Api;

/// <summary>A shop with loaded sales: the currency its money is counted in, its reporting time zone and its last day of sales.</summary>
public sealed record DashboardShop(string Shop, string CurrencyCode, string TimeZone, DateOnly LastDay);
