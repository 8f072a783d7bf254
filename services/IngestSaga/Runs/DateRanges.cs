using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>The checks of a requested range of days, each naming the end that is wrong.</summary>
public static class DateRanges
{
    /// <summary>No shop has orders or ads before this day (Shopify opened in 2006).</summary>
    public static readonly DateOnly FirstDay = new(2000, 1, 1);

    /// <summary>Null when <paramref name="from"/>..<paramref name="to"/> lies within <paramref name="earliest"/>..<paramref name="latest"/> in order.</summary>
    public static ProblemHttpResult? Check(DateOnly from, DateOnly to, DateOnly earliest, DateOnly latest, string what)
    {
        if (from < earliest) return Problems.InvalidParameter("from", $"from must not be before {earliest:yyyy-MM-dd}.");
        if (from > latest) return Problems.InvalidParameter("from", $"from must not be after {latest:yyyy-MM-dd}: {what} reads days that have begun.");
        if (to < earliest) return Problems.InvalidParameter("to", $"to must not be before {earliest:yyyy-MM-dd}.");
        if (to > latest) return Problems.InvalidParameter("to", $"to must not be after {latest:yyyy-MM-dd}: {what} reads days that have begun.");
        if (from > to) return Problems.InvalidParameter("from", "from must not be after to.");
        return null;
    }
}
