namespace GrowthOs.Contracts.Telemetry;

/// <summary>
/// The calls the Connector made to a source's API while it handled one command of run <paramref name="RunId"/>, in the
/// order made. <paramref name="Source"/> is <c>shopify</c>, <c>meta</c>, <c>google_ads</c>, <c>ga4</c> or
/// <c>google_oauth</c>. Published whatever the command's outcome, so throttled and failed calls are counted too.
/// </summary>
public record ApiCallsRecorded(
    Guid RunId,
    string ShopDomain,
    IReadOnlyList<ApiCallOutcome> Calls);
