namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// A gap a daily sync found and its backfill has not yet filled: the changes of <paramref name="Entity"/> from
/// <paramref name="From"/> to <paramref name="Floor"/>, read by backfill run <paramref name="BackfillRunId"/>.
/// </summary>
public sealed record SyncGap(string Entity, DateTimeOffset From, DateTimeOffset Floor, Guid BackfillRunId, DateTimeOffset FoundAt);
