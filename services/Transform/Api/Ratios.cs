namespace GrowthOs.Transform.Api;

/// <summary>How the read API writes a ratio and an average of money: rounded half away from zero, null over zero.</summary>
public static class Ratios
{
    /// <summary>A ratio as a decimal (0.015 is 1.5 %) to <paramref name="decimals"/> places; null when the denominator is zero.</summary>
    public static decimal? Of(decimal numerator, decimal denominator, int decimals = 4) =>
        denominator == 0 ? null : Math.Round(numerator / denominator, decimals, MidpointRounding.AwayFromZero);

    /// <summary>Minor units per unit (an average order value, a cost per click) to the minor unit; null when the count is zero.</summary>
    public static long? Minor(long numerator, long denominator) =>
        denominator == 0 ? null : (long)Math.Round((decimal)numerator / denominator, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The change from <paramref name="previous"/> to <paramref name="current"/> over the previous one's size, to 4 places;
    /// null without both or when the previous one is 0.
    /// </summary>
    public static decimal? Change(decimal? current, decimal? previous) =>
        current is null || previous is null or 0
            ? null
            : Math.Round((current.Value - previous.Value) / Math.Abs(previous.Value), 4, MidpointRounding.AwayFromZero);
}
