using System.Globalization;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>Optional query-string values, read strictly: a value present but malformed is refused, never taken as absent.</summary>
public static class QueryValues
{
    /// <summary>The dates this system answers for; a day outside them is a mistake (or a probe), never data.</summary>
    public static readonly DateOnly FirstDate = new(2000, 1, 1), LastDate = new(2100, 12, 31);

    /// <summary>
    /// False when <paramref name="text"/> is present but not a <c>YYYY-MM-DD</c> date from <see cref="FirstDate"/> to
    /// <see cref="LastDate"/>; <paramref name="date"/> is null when absent.
    /// </summary>
    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || parsed < FirstDate || parsed > LastDate)
            return false;
        date = parsed;
        return true;
    }

    /// <summary>False when <paramref name="text"/> is present but not a whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool TryInt(string? text, int min, int max, out int? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max) return false;
        value = parsed;
        return true;
    }
}
