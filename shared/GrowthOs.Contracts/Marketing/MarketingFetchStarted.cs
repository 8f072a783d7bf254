namespace GrowthOs.Contracts.Marketing;

/// <summary>The Connector began reading the pages (or the asynchronous report) of a fetch.</summary>
public record MarketingFetchStarted(
    Guid RunId,
    string Source,
    int Attempt,
    DateTimeOffset StartedAt);
