namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>How long a run waits before trying again after a transient failure.</summary>
public static class Backoff
{
    private static readonly HashSet<string> BusyCodes = ["OPERATION_IN_PROGRESS", "LIMIT_REACHED"];

    /// <summary>
    /// Another job holding the slot: the settings' fixed busy wait, when they have one. Anything else: base × 2^attempt,
    /// capped at the maximum, of which a random 50–100 % is taken, so retries of many runs spread out.
    /// </summary>
    public static TimeSpan Delay(string errorCode, int attempt, IRetrySettings settings, double jitter, bool backfill = false)
    {
        if (BusyCodes.Contains(errorCode) && settings.BusyWait(backfill) is { } busy) return busy;
        var exponential = settings.RetryBaseSeconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, settings.RetryMaxSeconds);
        return TimeSpan.FromSeconds(capped * (0.5 + 0.5 * Math.Clamp(jitter, 0, 1)));
    }
}
