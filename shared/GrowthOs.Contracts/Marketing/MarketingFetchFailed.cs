namespace GrowthOs.Contracts.Marketing;

/// <summary>The source refused the fetch for good (a bad token, no access, no account configured): the run fails with the reason.</summary>
public record MarketingFetchFailed(
    Guid RunId,
    string Source,
    int Attempt,
    string ErrorCode,
    string Reason);
