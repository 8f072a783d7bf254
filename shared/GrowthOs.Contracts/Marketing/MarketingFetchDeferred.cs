namespace GrowthOs.Contracts.Marketing;

/// <summary>
/// The source asked to wait (throttled, quota used up, a transient error): the run tries again after its backoff, at
/// least <paramref name="RetryAfterSeconds"/>.
/// </summary>
public record MarketingFetchDeferred(
    Guid RunId,
    string Source,
    int Attempt,
    string ErrorCode,
    string Reason,
    int? RetryAfterSeconds);
