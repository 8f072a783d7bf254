using System.Globalization;

namespace GrowthOs.Transform.Orders;

/// <summary>Decimal amounts as Shopify writes them ("12.30") to integer minor units of their currency.</summary>
public static class Money
{
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    /// <summary>Digits after the decimal point of <paramref name="currencyCode"/> (ISO 4217), 2 unless listed.</summary>
    public static int Exponent(string currencyCode) => Exponents.GetValueOrDefault(currencyCode, 2);

    /// <summary>
    /// Parses <paramref name="amount"/> exactly (no floating point). Fails when the amount is not a number or has
    /// more precision than the currency's minor unit.
    /// </summary>
    public static bool TryToMinorUnits(string? amount, string currencyCode, out long minor)
    {
        minor = 0;
        if (!decimal.TryParse(amount, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return false;
        var scaled = value * Pow10(Exponent(currencyCode));
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue) return false;
        minor = (long)scaled;
        return true;
    }

    private static decimal Pow10(int exponent) => exponent switch { 0 => 1m, 2 => 100m, 3 => 1000m, _ => (decimal)Math.Pow(10, exponent) };
}
