namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>How a kind of run retries: its exponential backoff, its retry budget, and its wait for a busy slot.</summary>
public interface IRetrySettings
{
    /// <summary>First wait after a transient failure; doubled each time, with jitter.</summary>
    int RetryBaseSeconds { get; }

    /// <summary>Longest wait between two retries.</summary>
    int RetryMaxSeconds { get; }

    /// <summary>How long a run keeps retrying before it gives up.</summary>
    int RetryBudgetHours { get; }

    TimeSpan RetryBudget => TimeSpan.FromHours(RetryBudgetHours);

    /// <summary>The fixed wait when the source says another job holds the slot; null: the backoff.</summary>
    TimeSpan? BusyWait(bool backfill) => null;
}
