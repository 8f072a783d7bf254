using System.Collections.Concurrent;
using System.Globalization;
using GrowthOs.Contracts.Telemetry;
using GrowthOs.ServiceDefaults.Observability;

namespace GrowthOs.Connector.Telemetry;

/// <summary>
/// Every call the Connector makes to a source's API goes through <see cref="Record"/>: it counts the call in the
/// service's metrics and, while a command is handled, writes it into that command's journal, which
/// <see cref="ApiCallJournalFilter{TMessage}"/> publishes as <see cref="ApiCallsRecorded"/> when the command is done.
/// </summary>
public static class ApiCallJournal
{
    private static readonly AsyncLocal<ConcurrentQueue<ApiCallOutcome>?> Current = new();

    /// <summary>Starts the journal of the command being handled; the calls made from this flow on are written into it.</summary>
    public static ConcurrentQueue<ApiCallOutcome> Begin() => Current.Value = new ConcurrentQueue<ApiCallOutcome>();

    public static void End() => Current.Value = null;

    /// <summary>
    /// One call: <paramref name="status"/> null when no answer came; <paramref name="usagePercent"/> the share of the
    /// rate-limit budget the answer reported used (clamped to 0–100).
    /// </summary>
    public static void Record(string source, string endpoint, DateTimeOffset now, TimeSpan duration, int? status, long records = 0, bool throttled = false,
        string? errorCode = null, double? usagePercent = null)
    {
        GrowthOsMetrics.RecordApiCall(source, endpoint, status?.ToString(CultureInfo.InvariantCulture) ?? "network", throttled, duration);
        Current.Value?.Enqueue(new ApiCallOutcome(source, endpoint, now - duration, status, (long)duration.TotalMilliseconds, records, throttled,
            errorCode ?? (status is null ? "NETWORK" : status >= 400 ? $"HTTP_{status}" : null),
            usagePercent is { } used && double.IsFinite(used) ? Math.Round((decimal)Math.Clamp(used, 0, 100), 2) : null));
    }
}
