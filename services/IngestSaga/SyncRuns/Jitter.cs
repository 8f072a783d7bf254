namespace GrowthOs.IngestSaga.SyncRuns;

/// <summary>
/// The random share of a retry's backoff (see <see cref="Backoff"/>), so that the retries of many runs spread out. One
/// source for the service; a test gives it a seed and knows every wait in advance.
/// </summary>
public sealed class Jitter(Random random)
{
    public static Jitter Shared { get; } = new(Random.Shared);

    /// <summary>A number in [0, 1).</summary>
    public double Next()
    {
        // A seeded Random is not safe to share between threads; Random.Shared is, and the lock costs it nothing that matters.
        lock (random) return random.NextDouble();
    }
}
