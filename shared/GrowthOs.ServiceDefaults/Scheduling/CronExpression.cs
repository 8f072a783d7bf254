namespace GrowthOs.ServiceDefaults.Scheduling;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week), read on UTC's clocks or a time zone's. Fields take <c>*</c>,
/// numbers, ranges <c>a-b</c>, steps <c>*/n</c> and <c>a-b/n</c>, lists, and month or weekday names (JAN, MON).
/// As in classic cron, when both day fields are restricted a day matching either one matches.
/// Cronos, the library for this, was tried and not taken: it matches a day only when both day fields match
/// (<c>0 12 13 * 5</c> fires on Friday the 13th alone, not on every 13th and every Friday as POSIX cron does), and it
/// takes a reversed range (<c>10-2</c>) as valid; a schedule written for cron would silently fire on other days.
/// </summary>
public sealed class CronExpression
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    private const int SearchYears = 5;

    private readonly bool[] _minutes, _hours, _daysOfMonth, _months, _daysOfWeek;
    private readonly bool _dayOfMonthRestricted, _dayOfWeekRestricted;

    private CronExpression(string text, bool[] minutes, bool[] hours, bool[] daysOfMonth, bool[] months, bool[] daysOfWeek, bool domRestricted,
        bool dowRestricted)
    {
        Text = text;
        _minutes = minutes;
        _hours = hours;
        _daysOfMonth = daysOfMonth;
        _months = months;
        _daysOfWeek = daysOfWeek;
        _dayOfMonthRestricted = domRestricted;
        _dayOfWeekRestricted = dowRestricted;
    }

    public string Text { get; }

    /// <summary>The hours of the day (0 to 23, on the clocks it is read in) at which it fires.</summary>
    public IReadOnlyList<int> Hours => [.. Enumerable.Range(0, 24).Where(hour => _hours[hour])];

    public static CronExpression Parse(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            throw new FormatException($"Cron expression '{text}' must have 5 fields (minute hour day-of-month month day-of-week).");
        var daysOfWeek = Field(fields[4], 0, 7, DayNames, "day-of-week", text);
        daysOfWeek[0] |= daysOfWeek[7];
        return new CronExpression(text,
            Field(fields[0], 0, 59, null, "minute", text),
            Field(fields[1], 0, 23, null, "hour", text),
            Field(fields[2], 1, 31, null, "day-of-month", text),
            Field(fields[3], 1, 12, MonthNames, "month", text),
            daysOfWeek,
            fields[2] != "*",
            fields[4] != "*");
    }

    public static bool TryParse(string text, out CronExpression? expression, out string? error)
    {
        try
        {
            expression = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException exception)
        {
            expression = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, at a whole minute, in UTC.</summary>
    public DateTimeOffset Next(DateTimeOffset after) => Next(after, TimeZoneInfo.Utc);

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/> of the expression read on <paramref name="zone"/>'s
    /// clocks, as a UTC instant. A time the clocks skip (spring forward) runs as late as they skipped; a time they show
    /// twice (fall back) runs at its first showing only.
    /// </summary>
    public DateTimeOffset Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        var wall = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        while (true)
        {
            wall = NextWallClock(wall);
            var offset = zone.IsInvalidTime(wall) ? zone.GetUtcOffset(wall.AddHours(-3))
                : zone.IsAmbiguousTime(wall) ? zone.GetAmbiguousTimeOffsets(wall).Max()
                : zone.GetUtcOffset(wall);
            var instant = new DateTimeOffset(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), offset).ToUniversalTime();
            if (instant > after) return instant;
        }
    }

    /// <summary>The first matching wall-clock minute strictly after <paramref name="after"/>.</summary>
    private DateTime NextWallClock(DateTime after)
    {
        var candidate = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = candidate.AddYears(SearchYears);
        for (var day = candidate.Date; day < limit; day = day.AddDays(1))
        {
            if (!_months[day.Month] || !DayMatches(day)) continue;
            var firstHour = day == candidate.Date ? candidate.Hour : 0;
            for (var hour = firstHour; hour < 24; hour++)
            {
                if (!_hours[hour]) continue;
                var firstMinute = day == candidate.Date && hour == candidate.Hour ? candidate.Minute : 0;
                for (var minute = firstMinute; minute < 60; minute++)
                    if (_minutes[minute]) return day.AddHours(hour).AddMinutes(minute);
            }
        }
        throw new InvalidOperationException($"Cron expression '{Text}' has no occurrence within {SearchYears} years.");
    }

    private bool DayMatches(DateTime day)
    {
        var dom = _daysOfMonth[day.Day];
        var dow = _daysOfWeek[(int)day.DayOfWeek];
        return _dayOfMonthRestricted && _dayOfWeekRestricted ? dom || dow : dom && dow;
    }

    private static bool[] Field(string field, int min, int max, string[]? names, string what, string text)
    {
        var allowed = new bool[max + 1];
        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, out var n) && n > 0 => (r, n),
                _ => throw Invalid(),
            };
            int from, to;
            if (range == "*") (from, to) = (min, max);
            else if (range.Split('-') is [var a, var b]) (from, to) = (Value(a), Value(b));
            else (from, to) = (Value(range), step > 1 ? max : Value(range));
            if (from < min || to > max || from > to) throw Invalid();
            for (var value = from; value <= to; value += step) allowed[value] = true;
        }
        return allowed;

        int Value(string token)
        {
            if (int.TryParse(token, out var number)) return number;
            var index = names is null ? -1 : Array.IndexOf(names, token.ToUpperInvariant());
            return index >= 0 ? index + min : throw Invalid();
        }

        FormatException Invalid() => new($"Cron expression '{text}': the {what} field '{field}' is not valid (allowed {min}-{max}).");
    }
}
