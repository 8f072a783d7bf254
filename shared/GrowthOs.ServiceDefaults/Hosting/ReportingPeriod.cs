using GrowthOs.ServiceDefaults.Connections;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.ServiceDefaults.Hosting;

/// <summary>
/// The reporting days a read covers (the shop's days, both ends included), bound from its query the same way, with the
/// same messages, by every read route: <c>days</c>, the last that many days up to yesterday; or <c>from</c> and
/// <c>to</c>, either alone meaning <c>from</c> to yesterday (or to <c>from</c> when it is later), or the route's default
/// length ending at <c>to</c>; never <c>days</c> with them. At most <see cref="MaxDays"/> days, none after the shop's today.
/// </summary>
public readonly record struct ReportingPeriod(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length just before this one.</summary>
    public ReportingPeriod Previous => new(From.AddDays(-Days), From.AddDays(-1));

    /// <summary>
    /// The shop a read is about (<see cref="ShopQuery"/>) and the period it asks for, in that shop's reporting days at
    /// <paramref name="now"/> (<paramref name="zones"/>); or the problem with either.
    /// </summary>
    public static ProblemHttpResult? BindForShop(string? shop, string? days, string? from, string? to, ReportingTimeZones zones, DateTimeOffset now,
        int defaultDays, out string domain, out ReportingPeriod period)
    {
        period = default;
        return ShopQuery.Bind(shop, out domain) ?? Bind(days, from, to, zones.Today(domain, now), defaultDays, out period);
    }

    /// <summary>
    /// The period the query asks for, given the shop's <paramref name="today"/> and the route's
    /// <paramref name="defaultDays"/>; or a problem naming the parameter that is wrong.
    /// </summary>
    public static ProblemHttpResult? Bind(string? days, string? from, string? to, DateOnly today, int defaultDays, out ReportingPeriod period)
    {
        period = default;
        if (!QueryValues.TryInt(days, 1, MaxDays, out var count))
            return Problems.InvalidParameter("days", $"days must be a whole number from 1 to {MaxDays}.");
        if (!QueryValues.TryDate(from, out var first)) return Problems.InvalidParameter("from", "from must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (!QueryValues.TryDate(to, out var last)) return Problems.InvalidParameter("to", "to must be a date (YYYY-MM-DD) from 2000 to 2100.");
        if (count is not null && (first is not null || last is not null))
            return Problems.InvalidParameter("days", "Give days, or from and to, not both.");

        var yesterday = today.AddDays(-1);
        var end = last ?? (first > yesterday ? first.Value : yesterday);
        var start = first ?? end.AddDays(1 - (count ?? defaultDays));
        if (start > end) return Problems.InvalidParameter("from", "from must not be after to.");
        if (end > today)
            return Problems.InvalidParameter(last is null ? "from" : "to",
                $"{(last is null ? "from" : "to")} must not be after the shop's today ({today:yyyy-MM-dd}).");
        if (end.DayNumber - start.DayNumber + 1 > MaxDays) return Problems.InvalidParameter("from", $"A period is at most {MaxDays} days.");
        period = new ReportingPeriod(start, end);
        return null;
    }
}
