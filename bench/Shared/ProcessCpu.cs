using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The machine's processes as /proc shows them: a service's (found by its assembly on its command line), PostgreSQL's, and
/// the processor time and memory each has used.
/// </summary>
internal static class ProcessCpu
{
    public static int Find(string service) =>
        All().FirstOrDefault(pid => Read($"/proc/{pid}/cmdline").Contains($"GrowthOs.{service}.dll", StringComparison.Ordinal));

    /// <summary>The processes whose command (<c>/proc/PID/comm</c>) is <paramref name="command"/>: postgres, beam.smp.</summary>
    public static IEnumerable<int> Named(string command) => All().Where(pid => Read($"/proc/{pid}/comm").Trim() == command);

    /// <summary>A field of <c>/proc/PID/status</c> in kB (VmHWM, VmRSS), or zero when the process is not found.</summary>
    public static long StatusKilobytes(int pid, string field) =>
        Read($"/proc/{pid}/status").Split('\n').FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal)) is { } line
            ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
            : 0;

    /// <summary>The processor time of every process named <paramref name="command"/>, with that of their ended children.</summary>
    public static TimeSpan OfAll(string command) => Named(command).Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(pid, ended: true));

    private static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit))
            .Select(d => int.Parse(d!, CultureInfo.InvariantCulture));

    /// <summary>
    /// User and system time from /proc/PID/stat (clock ticks of 10 ms), or zero when the process is not found; with
    /// <paramref name="ended"/>, also that of its children that ended (PostgreSQL's backends, counted in the postmaster's).
    /// </summary>
    public static TimeSpan Of(int pid, bool ended = false)
    {
        var stat = Read($"/proc/{pid}/stat");
        if (stat.Length == 0) return TimeSpan.Zero;
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Ticks(int field) => long.Parse(fields[field], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds((Ticks(11) + Ticks(12) + (ended ? Ticks(13) + Ticks(14) : 0)) * 10);
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}

/// <summary>Processor time used so far by this process and by PostgreSQL's (its ended backends included).</summary>
internal readonly record struct ProcessorTime(TimeSpan Own, TimeSpan Postgres)
{
    public static ProcessorTime Now() => new(Process.GetCurrentProcess().TotalProcessorTime, ProcessCpu.OfAll("postgres"));

    /// <summary>The seconds of each used since <paramref name="start"/>.</summary>
    public static (double Own, double Postgres) Since(ProcessorTime start)
    {
        var now = Now();
        return ((now.Own - start.Own).TotalSeconds, (now.Postgres - start.Postgres).TotalSeconds);
    }
}
