using GrowthOs.IngestSaga.MarketingSync;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>A marketing run as the API shows it: its source and days instead of entities and operations.</summary>
public sealed record MarketingRunView(
    Guid RunId,
    string Shop,
    string JobType,
    string Initiator,
    string Status,
    string Source,
    DateOnly? Since,
    DateOnly? Until,
    string? ManifestKey,
    bool Partial,
    string? PartialReason,
    IReadOnlyDictionary<string, long> Counts,
    DateTimeOffset RequestedAt,
    string? FailedStep,
    string? Error,
    string? LastRetryReason,
    string? TraceId,
    IReadOnlyList<RunStepView> Steps)
{
    public static MarketingRunView From(MarketingSyncState run) => new(
        run.CorrelationId, run.ShopDomain, run.JobType, run.Initiator, run.CurrentState.ToLowerInvariant(), run.Source, run.Since, run.Until, run.ManifestKey,
        run.IsPartial, run.PartialReason, run.Counts(), run.RequestedAt, run.FailedStep, run.Error, run.LastRetryReason, run.TraceId,
        run.Steps.Select(RunStepView.From).ToList());
}
