using GrowthOs.Contracts.Sales;
using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Tests;

public sealed class WeekOverWeekTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 21);

    /// <summary>
    /// Previous week (Nov 8-14): 7 days × 2 orders × 10.00 = 14 orders, 140.00.
    /// Current week (Nov 15-21): 6 days × 3 orders × 10.00 + Nov 21 with 1 order of 5.01 = 19 orders, 185.01.
    /// revenue: 18501 vs 14000 → (18501 − 14000) / 14000 = 0.321500 → 3215 bp.
    /// orders: 19 vs 14 → 5 / 14 = 0.357142… → 3571 bp.
    /// aov: 18501 / 19 = 973.74 → 974; 14000 / 14 = 1000 → (974 − 1000) / 1000 = −0.026 → −260 bp.
    /// Nov 7 lies outside both weeks and must not count.
    /// </summary>
    [Fact]
    public void Week_over_week_kpis_match_the_hand_calculation()
    {
        var days = new List<DailySalesFigure> { new(new DateOnly(2026, 11, 7), 100, 999_999) };
        for (var d = 8; d <= 14; d++) days.Add(new DailySalesFigure(new DateOnly(2026, 11, d), 2, 2_000));
        for (var d = 15; d <= 20; d++) days.Add(new DailySalesFigure(new DateOnly(2026, 11, d), 3, 3_000));
        days.Add(new DailySalesFigure(AsOf, 1, 501));

        var kpis = WeekOverWeek.Compute(days, AsOf).ToDictionary(k => k.Name);

        Assert.Equal((18_501L, 14_000L, (long?)3_215), (kpis["revenue"].Current, kpis["revenue"].Previous, kpis["revenue"].ChangeBasisPoints));
        Assert.Equal((19L, 14L, (long?)3_571), (kpis["orders"].Current, kpis["orders"].Previous, kpis["orders"].ChangeBasisPoints));
        Assert.Equal((974L, 1_000L, (long?)-260), (kpis["aov"].Current, kpis["aov"].Previous, kpis["aov"].ChangeBasisPoints));
    }

    [Fact]
    public void A_previous_week_without_sales_has_no_change_and_aov_is_zero_without_orders()
    {
        var kpis = WeekOverWeek.Compute([new DailySalesFigure(AsOf, 0, 0)], AsOf).ToDictionary(k => k.Name);
        Assert.All(kpis.Values, k => Assert.Null(k.ChangeBasisPoints));
        Assert.Equal(0, kpis["aov"].Current);
    }
}
