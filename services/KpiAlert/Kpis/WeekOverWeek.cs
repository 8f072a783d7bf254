using GrowthOs.Contracts.Kpi;
using GrowthOs.Contracts.Sales;

namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// Week-over-week KPIs from daily sales. The current week is the 7 days ending <c>asOf</c>, the previous week the 7
/// days before. revenue = sum of revenue (minor units); orders = sum of orders; aov = revenue / orders rounded half away
/// from zero to the minor unit (0 without orders). Change is (current − previous) / previous in basis points, rounded
/// the same way; null when the previous value is 0.
/// </summary>
public static class WeekOverWeek
{
    public const int WeekDays = 7;

    public static IReadOnlyList<KpiValue> Compute(IReadOnlyCollection<DailySalesFigure> days, DateOnly asOf)
    {
        var current = Window(days, asOf.AddDays(1 - WeekDays), asOf);
        var previous = Window(days, asOf.AddDays(1 - 2 * WeekDays), asOf.AddDays(-WeekDays));
        return
        [
            Kpi("revenue", current.Revenue, previous.Revenue),
            Kpi("orders", current.Orders, previous.Orders),
            Kpi("aov", Aov(current), Aov(previous)),
        ];
    }

    private static (long Revenue, long Orders) Window(IEnumerable<DailySalesFigure> days, DateOnly from, DateOnly to)
    {
        var inWindow = days.Where(d => d.Date >= from && d.Date <= to).ToList();
        return (inWindow.Sum(d => d.RevenueMinor), inWindow.Sum(d => (long)d.Orders));
    }

    private static long Aov((long Revenue, long Orders) week) =>
        week.Orders == 0 ? 0 : (long)Math.Round((decimal)week.Revenue / week.Orders, MidpointRounding.AwayFromZero);

    private static KpiValue Kpi(string name, long current, long previous) => new(
        name, current, previous,
        previous == 0 ? null : (long)Math.Round((decimal)(current - previous) * 10_000 / previous, MidpointRounding.AwayFromZero));
}
