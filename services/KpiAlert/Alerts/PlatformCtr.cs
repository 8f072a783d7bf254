namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A platform's clicks and impressions over the period and the period before.</summary>
public sealed record PlatformCtr(string Source, long Clicks, long Impressions, long PreviousClicks, long PreviousImpressions);
