namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A source's 24 hours, and the hours to avoid: any throttled call or bulk-slot wait, or usage reported at or above the threshold.</summary>
public sealed record SourceWindows(string Source, IReadOnlyList<HourWindow> Hours, IReadOnlyList<int> HoursToAvoid);
