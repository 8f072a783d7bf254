namespace GrowthOs.KpiAlert.Analytics;

/// <summary>
/// One hour of the day (in the shop's reporting time zone) of one source over the window: the calls made then, those
/// throttled, the deferrals and the bulk-slot waits among them, and the usage the answers reported.
/// </summary>
public sealed record HourWindow(
    int Hour, int Calls, int Throttled, int Deferrals, int BulkSlotWaits, decimal? MaxUsagePercent, decimal? MeanUsagePercent, bool Avoid);
