namespace GrowthOs.IngestSaga.DurableWaits;

/// <summary>The durable wait <paramref name="WaitToken"/> of run <paramref name="RunId"/> is over. Internal to this service.</summary>
public record SyncWaitElapsed(Guid RunId, int WaitToken);
