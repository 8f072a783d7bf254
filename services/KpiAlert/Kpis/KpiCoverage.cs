namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// The days of both periods (<see cref="Days"/>) and how many of them the copies hold sales and marketing figures of: fewer
/// than <see cref="Days"/> means some figures have not arrived (or were never synced).
/// </summary>
public sealed record KpiCoverage(int Days, int SalesDays, int MarketingDays);
