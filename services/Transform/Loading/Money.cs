namespace GrowthOs.Transform.Loading;

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
        return amount is not null && TryToMinorUnits(System.Text.Encoding.UTF8.GetBytes(amount), currencyCode, out minor);
    }

    /// <summary>
    /// Parses <paramref name="amount"/> exactly and rounds it half away from zero to the currency's minor unit: for an
    /// amount that may carry more decimals than the currency has (a unit cost, which merchants give to the cent or finer).
    /// </summary>
    public static bool TryToRoundedMinorUnits(ReadOnlySpan<byte> amount, string currencyCode, out long minor)
    {
        minor = 0;
        if (!decimal.TryParse(amount, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
                System.Globalization.CultureInfo.InvariantCulture, out var value))
            return false;
        try
        {
            var scaled = Math.Round(value * (decimal)Math.Pow(10, Exponent(currencyCode)), MidpointRounding.AwayFromZero);
            if (scaled is > long.MaxValue or < long.MinValue) return false;
            minor = (long)scaled;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// The same on UTF-8 bytes, digit by digit in integer arithmetic: <c>[-]digits[.digits]</c>, with no more
    /// decimals than the currency has; trailing zeros beyond them are accepted ("12.300" USD). An amount whose minor units
    /// do not fit a long is refused.
    /// </summary>
    public static bool TryToMinorUnits(ReadOnlySpan<byte> amount, string currencyCode, out long minor)
    {
        minor = 0;
        var exponent = Exponent(currencyCode);
        var negative = amount.Length > 0 && amount[0] == (byte)'-';
        if (negative) amount = amount[1..];
        if (amount.IsEmpty) return false;

        long value = 0;
        int decimals = -1, digits = 0;
        foreach (var b in amount)
        {
            if (b == (byte)'.')
            {
                if (decimals >= 0) return false;
                decimals = 0;
                continue;
            }
            if (b is < (byte)'0' or > (byte)'9') return false;
            if (decimals >= 0 && ++decimals > exponent)
            {
                if (b != (byte)'0') return false;
                continue;
            }
            if (++digits > 18) return false;
            value = value * 10 + (b - '0');
        }
        if (digits == 0) return false;
        // Checked: 18 digits of a currency with decimals can pass a long once scaled to minor units; such an amount is refused, never wrapped.
        for (var i = Math.Max(decimals, 0); i < exponent; i++)
            if (value > long.MaxValue / 10) return false;
            else value *= 10;
        minor = negative ? -value : value;
        return true;
    }
}
