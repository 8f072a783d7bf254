namespace GrowthOs.Contracts.Marketing;

/// <summary>Every page of the fetch is read and stored; the manifest naming them is being written.</summary>
public record MarketingReportFetched(
    Guid RunId,
    string Source,
    int Attempt,
    int Pages,
    long Rows);
