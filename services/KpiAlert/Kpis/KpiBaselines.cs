namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// A KPI's usual value for a period: the mean (<paramref name="Baseline"/>) and the sample standard deviation
/// (<paramref name="Spread"/>) of its value over the <paramref name="Weeks"/> periods of the same length before it that
/// ended on the same weekday (so a Sunday-to-Saturday week is compared with Sunday-to-Saturday weeks, the 1 to 8 weeks
/// before; a longer period with the ones 1 to 8 steps of whole weeks before, so that none overlaps another); the usual
/// range is the baseline ± 2 spreads (<paramref name="Low"/>, <paramref name="High"/>), and <paramref name="ZScore"/> how
/// many spreads the period's value lies from the baseline, <paramref name="Unusual"/> whether it lies outside the usual
/// range. All null with fewer than 4 such periods held whole (or a figure undefined in them); the z-score null when the
/// spread is 0.
/// </summary>
public sealed record KpiBaseline(string Name, int Weeks, decimal? Baseline, decimal? Spread, decimal? Low, decimal? High, decimal? ZScore,
    bool? Unusual);

/// <summary>
/// The activation baseline of each KPI (<see cref="KpiBaseline"/>), a pure function of the period's KPIs and of each
/// earlier week's values. Money and counts are rounded to 2 places (a count's mean is fractional), ratios to 6; the
/// z-score to 2.
/// </summary>
public static class KpiBaselines
{
    public const int Weeks = 8;
    public const int MinimumWeeks = 4;
    public const decimal Band = 2m;

    /// <summary>How many days apart the periods compared lie: the whole weeks that hold a period of <paramref name="days"/> days.</summary>
    public static int Step(int days) => 7 * ((days + 6) / 7);

    /// <param name="current">The period's KPIs.</param>
    /// <param name="weeks">Each earlier period's KPI values that its copies hold whole, most recent first.</param>
    public static IReadOnlyList<KpiBaseline> Compute(IReadOnlyList<Kpi> current, IReadOnlyList<IReadOnlyDictionary<string, decimal?>> weeks) =>
        [.. current.Select(k => Of(k, [.. weeks.Select(w => w.GetValueOrDefault(k.Name)).OfType<decimal>()]))];

    private static KpiBaseline Of(Kpi kpi, List<decimal> values)
    {
        if (values.Count < MinimumWeeks) return new(kpi.Name, values.Count, null, null, null, null, null, null);
        var decimals = kpi.Kind == KpiKinds.Ratio ? KpiCalculator.RatioDecimals : 2;
        decimal Round(decimal x) => Math.Round(x, decimals, MidpointRounding.AwayFromZero);
        var mean = values.Average();
        var spread = Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        decimal? z = kpi.Value is { } value && spread > 0 ? Math.Round((value - mean) / spread, 2, MidpointRounding.AwayFromZero) : null;
        var (low, high) = (Round(mean - Band * spread), Round(mean + Band * spread));
        return new(kpi.Name, values.Count, Round(mean), Round(spread), low, high, z, kpi.Value is { } v ? v < low || v > high : null);
    }

    /// <summary>A square root in decimals (Newton's steps from the double's), so no figure passes through floating point.</summary>
    private static decimal Sqrt(decimal x)
    {
        if (x <= 0) return 0;
        var root = (decimal)Math.Sqrt((double)x);
        for (var i = 0; i < 4 && root > 0; i++) root = (root + x / root) / 2;
        return root;
    }
}
