using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.Transform.Marts;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The reporting days a dashboard read covers: the last <c>days</c> days up to yesterday (30 by default), or the days
/// <c>from</c> to <c>to</c> (both, inclusive, the shop's reporting days, at most <see cref="MaxDays"/>), never both.
/// </summary>
public static class ReportingPeriod
{
    public const int MaxDays = 366;

    public static IResult? Resolve(string shop, string? days, string? from, string? to, MartsOptions marts, DateTimeOffset now, out DateOnly first, out DateOnly last)
    {
        (first, last) = (default, default);
        if (!QueryValues.TryInt(days, 1, MaxDays, out var count))
            return Problems.InvalidParameter("days", $"days must be a whole number between 1 and {MaxDays}.");
        if (!QueryValues.TryDate(from, out var fromDate)) return Problems.InvalidParameter("from", "from must be a date, YYYY-MM-DD.");
        if (!QueryValues.TryDate(to, out var toDate)) return Problems.InvalidParameter("to", "to must be a date, YYYY-MM-DD.");
        if (fromDate is null && toDate is null)
        {
            last = marts.Today(shop, now).AddDays(-1);
            first = last.AddDays(1 - (count ?? 30));
            return null;
        }
        if (count is not null) return Problems.InvalidParameter("days", "days and from/to cannot be given together.");
        if (fromDate is null) return Problems.InvalidParameter("from", "from is required with to.");
        if (toDate is null) return Problems.InvalidParameter("to", "to is required with from.");
        if (toDate < fromDate) return Problems.InvalidParameter("to", "to must not be before from.");
        if (toDate > marts.Today(shop, now)) return Problems.InvalidParameter("to", "to must not be after the shop's today.");
        if (toDate.Value.DayNumber - fromDate.Value.DayNumber + 1 > MaxDays) return Problems.InvalidParameter("from", $"The range is at most {MaxDays} days.");
        (first, last) = (fromDate.Value, toDate.Value);
        return null;
    }
}
