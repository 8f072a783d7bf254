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
}
