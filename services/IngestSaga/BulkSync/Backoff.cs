namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>How long a run waits before trying again after a transient failure.</summary>
public static class Backoff
{
    private static readonly HashSet<string> BusyCodes = ["OPERATION_IN_PROGRESS", "LIMIT_REACHED"];

    /// <summary>
    /// Another bulk query holding the slot: a fixed <see cref="BulkSyncOptions.BusyWaitSeconds"/>, or the longer
    /// <see cref="BulkSyncOptions.BackfillBusyWaitSeconds"/> for a backfill. Anything else: base × 2^attempt, capped at
    /// the maximum, of which a random 50–100 % is taken, so retries of many runs spread out.
    /// </summary>
    public static TimeSpan Delay(string errorCode, int attempt, BulkSyncOptions options, double jitter, bool backfill = false)
    {
        if (BusyCodes.Contains(errorCode)) return TimeSpan.FromSeconds(backfill ? options.BackfillBusyWaitSeconds : options.BusyWaitSeconds);
        var exponential = options.RetryBaseSeconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, options.RetryMaxSeconds);
        return TimeSpan.FromSeconds(capped * (0.5 + 0.5 * Math.Clamp(jitter, 0, 1)));
    }
}
