using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Marketing;
using GrowthOs.Contracts.Telemetry;
using MassTransit;

namespace GrowthOs.IngestSaga.Outbox;

/// <summary>The events a run may publish, by the name their rows carry.</summary>
public static class SagaEventTypes
{
    private static readonly Dictionary<string, Type> ByName = new Type[]
    {
        typeof(SyncStepChanged), typeof(SyncCompleted), typeof(SyncFailed), typeof(MarketingSyncCompleted), typeof(SyncGapFound),
        // A run's request for another run (its history, its gap), saved with it so a crash after the save loses none.
        typeof(BackfillRequested),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static string NameOf(Type type) =>
        ByName.TryGetValue(type.Name, out var known) && known == type
            ? type.Name
            : throw new InvalidOperationException($"{type.FullName} is not an event a run publishes; add it to {nameof(SagaEventTypes)}.");

    public static Type? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The names of every event this build publishes.</summary>
    public static IEnumerable<string> Names => ByName.Keys;
}
